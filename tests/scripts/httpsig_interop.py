#!/usr/bin/env python3
"""HTTP signatures (draft-cavage-http-signatures-12, as Mastodon and Lemmy use
them) made and checked by an implementation independent of Commonhall's: the
PyPI library `httpsig` (HeaderSigner / HeaderVerifier) plus `hashlib` for the
`Digest` header.

Used by tests/tests/http_signatures.rs and tests/tests/fixture_inbox.rs:

    python3 httpsig_interop.py sign   < request.json  > signed.json
    python3 httpsig_interop.py verify < captured.json > verdict.json

Both read one JSON object, or a list of them (answered with a list), on
standard input and write JSON on standard output.

sign: {"key_id", "private_key_pem", "method", "path", "host", "body",
       "date"?: HTTP-date (default: now), "headers"?: names to sign
       (default: (request-target) host date digest)}
  ->  {"headers": {"Host", "Date", "Digest", "Signature", "Content-Type"},
       "signing_string"}

verify: {"public_key_pem", "method", "path", "headers": {name: value},
         "body", "required_headers"?: (default: (request-target) host date
         digest)}
  ->  {"valid", "digest_valid", "signature_valid", "strict_valid",
       "strict_error", "algorithm", "signed_headers", "error"}

`strict_valid` is httpsig's HeaderVerifier on the request exactly as
received: it knows only the draft-10 algorithm names (`rsa-sha256`, ...) and
real headers. `signature_valid` also accepts what draft 12 added and
Mastodon, Lemmy and activitypub_federation send: `algorithm="hs2019"` with an
RSA key (RSASSA-PKCS1-v1_5 with SHA-256, as the fediverse uses it) and the
`(created)` / `(expires)` pseudo-headers, whose values are the signature's
`created` / `expires` parameters (an expired signature is invalid).

Exit status: 0 on success (whatever the verdict), 2 on bad input, 3 when the
`httpsig` library is missing.
"""

import base64
import email.utils
import hashlib
import json
import sys
import time

try:
    import httpsig
    from httpsig.utils import parse_signature_header
except ImportError as e:  # pragma: no cover - reported to the Rust test
    sys.stderr.write(
        "httpsig_interop.py: the Python library `httpsig` is not installed "
        "(%s); install it with `pip install httpsig`\n" % e
    )
    sys.exit(3)

DEFAULT_HEADERS = ["(request-target)", "host", "date", "digest"]


def digest_of(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def sign(req):
    body = req.get("body", "").encode("utf-8")
    names = req.get("headers") or DEFAULT_HEADERS
    date = req.get("date") or email.utils.formatdate(usegmt=True)
    headers = {
        "Host": req["host"],
        "Date": date,
        "Digest": digest_of(body),
        "Content-Type": "application/activity+json",
    }
    signer = httpsig.HeaderSigner(
        key_id=req["key_id"],
        secret=req["private_key_pem"],
        algorithm="rsa-sha256",
        headers=names,
        sign_header="signature",
    )
    signed = signer.sign(
        headers, host=req["host"], method=req["method"], path=req["path"]
    )
    out = {
        "Host": req["host"],
        "Date": date,
        "Digest": headers["Digest"],
        "Content-Type": headers["Content-Type"],
        "Signature": signed["signature"],
    }
    signing_string = httpsig.utils.generate_message(
        names, headers, req["host"], req["method"], req["path"]
    ).decode("ascii")
    return {"headers": out, "signing_string": signing_string}


def lower_headers(headers):
    return {k.lower(): v for k, v in headers.items()}


def digest_ok(headers, body: bytes) -> bool:
    value = headers.get("digest")
    if not value:
        return False
    expected = digest_of(body)[len("SHA-256="):]
    for part in value.split(","):
        alg, _, b64 = part.strip().partition("=")
        if alg.strip().upper() == "SHA-256" and b64.strip() == expected:
            return True
    return False


def strict_verify(req, headers):
    try:
        verifier = httpsig.HeaderVerifier(
            headers=headers,
            secret=req["public_key_pem"],
            required_headers=req.get("required_headers") or DEFAULT_HEADERS,
            method=req["method"],
            path=req["path"],
            sign_header="signature",
        )
        return bool(verifier.verify()), None
    except Exception as e:  # httpsig raises plain Exception / AssertionError
        return False, "%s: %s" % (type(e).__name__, e)


def draft12_verify(req, headers):
    """httpsig's HeaderVerifier, fed what draft 12 adds (see module doc)."""
    params = parse_signature_header(headers.get("signature", ""))
    algorithm = params.get("algorithm", "")
    signed = params.get("headers", "date").split()
    if algorithm not in ("rsa-sha256", "hs2019"):
        return False, "unsupported algorithm %r" % algorithm, algorithm, signed
    hdrs = dict(headers)
    now = time.time()
    for pseudo, field in (("(created)", "created"), ("(expires)", "expires")):
        if pseudo in signed:
            if field not in params:
                return False, "%s signed but no %s parameter" % (pseudo, field), algorithm, signed
            hdrs[pseudo] = params[field]
    if "expires" in params:
        try:
            if float(params["expires"]) < now:
                return False, "signature expired", algorithm, signed
        except ValueError:
            return False, "unreadable expires", algorithm, signed
    if "created" in params:
        try:
            if float(params["created"]) > now + 300:
                return False, "signature created in the future", algorithm, signed
        except ValueError:
            return False, "unreadable created", algorithm, signed
    # The algorithm parameter is not part of the signing string: name the
    # RSA one httpsig knows.
    fields = []
    for k, v in params.items():
        if k == "algorithm":
            v = "rsa-sha256"
        fields.append('%s="%s"' % (k, v))
    hdrs["signature"] = ",".join(fields)
    try:
        verifier = httpsig.HeaderVerifier(
            headers=hdrs,
            secret=req["public_key_pem"],
            required_headers=req.get("required_headers") or DEFAULT_HEADERS,
            method=req["method"],
            path=req["path"],
            sign_header="signature",
        )
        return bool(verifier.verify()), None, algorithm, signed
    except Exception as e:
        return False, "%s: %s" % (type(e).__name__, e), algorithm, signed


def verify(req):
    headers = lower_headers(req["headers"])
    body = req.get("body", "").encode("utf-8")
    out = {"digest_valid": digest_ok(headers, body)}
    if "signature" not in headers:
        out.update(
            valid=False,
            signature_valid=False,
            strict_valid=False,
            strict_error="no Signature header",
            algorithm=None,
            signed_headers=[],
            error="no Signature header",
        )
        return out
    strict, strict_error = strict_verify(req, headers)
    sig_ok, error, algorithm, signed = draft12_verify(req, headers)
    out.update(
        strict_valid=strict,
        strict_error=strict_error,
        signature_valid=sig_ok,
        algorithm=algorithm,
        signed_headers=signed,
        error=error,
    )
    out["valid"] = bool(out["digest_valid"] and sig_ok)
    if not sig_ok and not error:
        out["error"] = "the signature does not verify"
    elif not out["digest_valid"]:
        out["error"] = "Digest does not match the body"
    return out


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("sign", "verify"):
        sys.stderr.write("usage: httpsig_interop.py sign|verify < request.json\n")
        sys.exit(2)
    try:
        request = json.load(sys.stdin)
    except ValueError as e:
        sys.stderr.write("httpsig_interop.py: standard input is not JSON: %s\n" % e)
        sys.exit(2)
    action = sign if sys.argv[1] == "sign" else verify
    try:
        if isinstance(request, list):
            result = [action(r) for r in request]
        else:
            result = action(request)
    except KeyError as e:
        sys.stderr.write("httpsig_interop.py: missing field %s\n" % e)
        sys.exit(2)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
