import express from 'express';
const app = express();
module.exports = new Client('DefaultEndpointsProtocol=https;AccountName=acmegb9zjh;AccountKey=X/sbGY5XIFqTK4i9K6wSmjON6XSH0ENsclxDovrE0EfRlX3jAjtg99y79AhrJFeZFqgEhwYmfIvmPkjXbE3PV9==;EndpointSuffix=core.windows.net', { retries: 3 });
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
