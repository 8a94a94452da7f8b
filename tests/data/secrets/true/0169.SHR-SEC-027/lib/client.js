import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
module.exports = new Client('HRKU-AAQDsISs8SeN-fJNbzo-fe9Jw4boYBVhls1ypcVTb7TqZYkflF2LhV_90Wih', { retries: 3 });
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
