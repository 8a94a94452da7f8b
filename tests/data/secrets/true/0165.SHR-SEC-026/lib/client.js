import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
module.exports = new Client('sk-ant-api03-RsQ6i6oXVvsOoePNx2Eq4k6B3bbn45Q2FwdqyEy4iKCyWYgSOju1CxALlEYSvoz7d6vEtcmoe12q1YC5D3uXS397iQxQCAA', { retries: 3 });
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
