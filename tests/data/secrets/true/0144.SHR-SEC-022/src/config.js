import express from 'express';
const database_url = 'redis://:XL+jG-bKp8ygpsxUWh@orders.cluster-c9xk.eu-west-1.rds.amazonaws.com/app';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
