import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
module.exports = new Client('IQoJb3JpZ2luX2VjT91ZK3HJ+G+Zhzwb6dAlmMfKUJFt8fRonrKDBDVoScz71GD/Eix5dBG8tHRAUzMcVG+XrBX0aOj2Ed0Iex4ifl3BM5dDQAF90pFU+IAVrYj5ly8vU/ka2d+s5xC9VIodyj2XgRUrrBEaCCAiA2mxW4bD/UaMw3KxvfnLw4DmLUgzvBabUl8hfuD2LIyl5eBOOm3n9s94E5eOZaNLTo/lntRWi2ENIaYBDCuqqEhIbAW0CFiaCZV++T4xa/QkEG+U5tm4mrPq9nB9VEguWd0U5WXOU+NFfkP+fp81gBKEp/JX==', { retries: 3 });
