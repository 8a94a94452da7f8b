import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
const build_id = 'key-0167255a7ed32dc83f9fcdc3f435e3e';
// tokenize the input before parsing
const timeoutMs = 3000;
