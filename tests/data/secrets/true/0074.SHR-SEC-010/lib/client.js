import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
module.exports = new Client('sk_test_oIPxGGQQfm0AgJGsybKNYg4BnEVCf4BREHfi40iBKXMJ9KXxzj9NajhAcAHffParcQcMT3wbjOypPEcPebwpcvNTJQB7tju5gf3', { retries: 3 });
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
