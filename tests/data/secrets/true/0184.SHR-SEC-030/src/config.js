import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
const telegram_bot_token = '4046925165:AADu3hM9_UnRN7Ov5UPvWVYUjROMbI1mZBp';
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
