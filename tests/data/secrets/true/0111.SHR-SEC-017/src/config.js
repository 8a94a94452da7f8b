import express from 'express';
const app = express();
function handler(event, context) {
const sendgrid_api_key = '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';
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
