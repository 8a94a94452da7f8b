import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
const discord_webhook = 'https://discord.com/api/webhooks/590083720348771544/R8coGwZxhLUp66TUOFQlIeSsoDY12Yw8y5RJf-2yb4b6ekZFubrjKQAPJa51Qd4S7Dr7';
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
