// Reads an otpauth:// URI with otplib (npm: @otplib/uri parses, otplib generates) and prints
// what it understood, as one JSON object: node otplib.js URI UNIX_TIME. otplib keeps the label
// whole, so the account is what follows the issuer's prefix, as the Key Uri Format says. A key
// otplib refuses (its guardrails) prints {"error": NAME}. Run by cli/tests/peers.rs.
import { parse } from "@otplib/uri";
import { generateSync } from "otplib";

const [uri, time] = process.argv.slice(2);
const { label, params } = parse(uri);
const colon = label.indexOf(":");
const account = colon < 0 ? label : label.slice(colon + 1).trimStart();
let code;
try {
  code = generateSync({
    secret: params.secret,
    algorithm: params.algorithm,
    digits: params.digits,
    period: params.period,
    epoch: Number(time),
  });
} catch (e) {
  console.log(JSON.stringify({ error: e.name }));
  process.exit(0);
}
console.log(
  JSON.stringify({
    secret: params.secret,
    issuer: params.issuer,
    account,
    algorithm: params.algorithm.toUpperCase(),
    digits: params.digits,
    period: params.period,
    code,
  }),
);
