// Reads an otpauth:// URI with otpauth (npm) and prints what it understood, as one JSON
// object: node otpauth.js URI UNIX_TIME. Run by cli/tests/peers.rs.
import * as OTPAuth from "otpauth";

const [uri, time] = process.argv.slice(2);
const otp = OTPAuth.URI.parse(uri);
console.log(
  JSON.stringify({
    secret: otp.secret.base32,
    issuer: otp.issuer,
    account: otp.label,
    algorithm: otp.algorithm,
    digits: otp.digits,
    period: otp.period,
    code: otp.generate({ timestamp: Number(time) * 1000 }),
  }),
);
