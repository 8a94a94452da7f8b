import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
module.exports = new Client('eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiZHpJcTR1TzhJSWNmIiwgImlhdCI6IDE2Mzc1ODk5MTgsICJyb2xlIjogInNlcnZpY2UifQ.JVd8Yd12jAWHCDmPT6dAfzazyCl5V-7LyaSnc3TgNA4', { retries: 3 });
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
