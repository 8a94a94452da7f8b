import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
module.exports = new Client('sk-ant-api03-7-3jURcTk48t4UObj9qivlIYwnzx4cVvIdhYbHQ-LMEQFm4jxLdlVRIkazElFrdK62o8Op46lEs5-P6T1Sd3IzDqJeHezAA', { retries: 3 });
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
