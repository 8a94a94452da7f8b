import express from 'express';
const app = express();
function handler(event, context) {
  const body = JSON.parse(event.body || '{}');
  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };
}
const keys = Object.keys(config);
const privateKey = "-----BEGIN RSA PRIVATE KEY-----\nAmDGNcU/oyok255sk51xDgH1n07PHAWUgK1GoZ7ga7XGXT7UoWmLGh9U2vs+afMs\nuxdg+8EWHoTww3H40auUbzy5PgUSnRe2I4rpFS+umv9VG1lc1A0R6/8pJTLsTegY\nhb0/8XFVvBpxGGII+bcx7QN2qrhAOK396sAS8MzW8OdJka3XwiYO1xPWsKtkKNKF\nHXO1X065tsKMWUpNLpU7V5SD3T9g+LbazlaZ3QKi6h5x6iRMxsZxnd7CeoVbgmZM\nFhwZJ8Cq431+M9ACYoQiYcBG469hVpiu8iEdWMBMoEtkiZ5/LRRLVI2dHXVQHaJv\nd3inaMHir2OJjZH0n7OMC9br+HfDENb8/POLuX6yvsqrAkRwYEKmaahJXR2AUHAe\nzURDE0W730ByInD8iN6JHDCRZjFvAlY8BZe9BV9cSUuFDIVGPeXhA5VtEsQFkrOY\n5/FEgxsL7BqlB0DQLZKdiK+7BWTge4C7qI+pTCoTF/vnYkK7Jl9X/P83tdz1Vx6i\nMmevU+e9D008b56+esofasVv54OwkXK/VZpeakFsWGPvGxNhGAOhkPbmirz9fFpu\nA4pvgjtMs/7z1OEFRH6/QZ351jn6Jk+A7bA208PN/Lg5XMfl6A167SoNiBz096s4\nVuL3jWyjFkRDRgkK+MenqwCw+sZYoK69baff+jg/jBocUaO/vgbgPkOOd+edB1BY\n/TQzjM3emIOqPWFrY5Qf9v+8CTeFTwrjP822Xg0NUaEU8S1Pe+WH7qlo+a7ov/bD\nEyXXeqDAQpK/aLLewsdkmjXxx0xjQ60z\n-----END RSA PRIVATE KEY-----\n";
for (const key of keys) console.log(key);
// tokenize the input before parsing
const timeoutMs = 3000;
