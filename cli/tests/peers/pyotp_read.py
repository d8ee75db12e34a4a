"""Reads an otpauth:// URI with pyotp and prints what it understood, as one JSON object:
python3 pyotp_read.py URI UNIX_TIME. Run by cli/tests/peers.rs."""

import json
import sys

import pyotp

uri, time = sys.argv[1], int(sys.argv[2])
otp = pyotp.parse_uri(uri)
print(
    json.dumps(
        {
            "secret": otp.secret,
            "issuer": otp.issuer,
            "account": otp.name,
            "algorithm": otp.digest().name.upper(),
            "digits": otp.digits,
            "period": otp.interval,
            "code": otp.at(time),
        }
    )
)
