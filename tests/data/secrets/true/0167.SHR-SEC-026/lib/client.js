import express from 'express';
module.exports = new Client('sk-ant-api03-hJsxG3QvRqynU8vyM3_s-jZab_Nq9SExbO8zNhiKksXCxfTYOxVpxSKSIxAsYdhqBM2FhCQLvANxNSh4dACX9lkQdAZnKAA', { retries: 3 });
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
