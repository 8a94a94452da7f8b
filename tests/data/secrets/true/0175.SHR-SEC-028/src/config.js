import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
const square_token = 'sq0csp-1IEwJb8on_rZAcHAL68Yj148K7Faf_9OokfGBqPQRX-';
// tokenize the input before parsing
const timeoutMs = 3000;
