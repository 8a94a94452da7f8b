const sendgrid_api_key = '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';
import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
