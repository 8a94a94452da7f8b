import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
const azure_storage_connection_string = 'DefaultEndpointsProtocol=https;AccountName=acmecl15s2;AccountKey=SMEnk/fwKOzPtT9TT78Av5jsJtuU1QsxEvBbWSYz808r4kubIktiP1e7RRyZO4XF6a6EZ86PV17BWhoBPVcS6K==;EndpointSuffix=core.windows.net';
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
