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
const aws_session_token = 'FwoGZXIvYXdzEDiN8kqqbYBr5nZ8vlodXleDo0wDN23E3s6gAihxvbJvIhkSOtVgEqm1mKfBUpw1DnODizhqm6eN1OHyn3fXh/H3NVXq1vH5TX0t9WgM2XtL0IuZQwvInTlXWLlCTRi7mTpCuv6N9bmAhA4RLCFs643t3yD2wL3Xb35LfQ6E/HPGXX46Jd+Wcpb1VixO44agFRDqHymuTbiTp5YdN0cEBdIeUYE3297xBxCn+D6FFUTn6pUJswgtLTMRWFBLt61tgSlgblREp7bLxQsx92f+C/b0p1gjj7EP3fHGFK+6EZMr7==';
