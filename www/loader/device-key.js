// device-key.js: the device's signing key and the records' JWS (docs/records.md).
// The key is Ed25519, else ECDSA P-256; the private key is non-extractable:
// its bytes never reach script, only IndexedDB holds it.
import { jcs } from "./jcs.js";
import { read, transaction } from "./record-store.js";

const subtle = () => crypto.subtle;
const utf8 = (text) => new TextEncoder().encode(text);

/** base64url without padding, of bytes (an ArrayBuffer or Uint8Array). */
export const base64url = (bytes) => {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
};

/** `sha256:` + the hex SHA-256 of a string's UTF-8 bytes (a record's hash, of its ASCII JWS). */
export const sha256 = async (text) => {
  const digest = new Uint8Array(await subtle().digest("SHA-256", utf8(text)));
  return "sha256:" + [...digest].map((byte) => (byte + 256).toString(16).slice(1)).join("");
};

// A new key with `algorithm`, stored: `{alg, key, jwk, sub}`.
const generate = async ([alg, algorithm]) => {
  const pair = await subtle().generateKey(algorithm, false, ["sign", "verify"]);
  const { crv, kty, x, y } = await subtle().exportKey("jwk", pair.publicKey);
  // The thumbprint's members in lexicographic order (`y` only for EC).
  const jwk = { crv, kty, x, y };
  const thumbprint = base64url(await subtle().digest("SHA-256", utf8(JSON.stringify(jwk))));
  const device = { alg, key: pair.privateKey, jwk, sub: thumbprint };
  await transaction(["keys"], (store) => store("keys").put(device, "device"), "readwrite");
  return device;
};

let known;

/**
 * The device key, made on first use: `{alg, key, jwk, sub}`, the JWS alg, the
 * private CryptoKey, the public JWK and its RFC 7638 thumbprint (the records'
 * subject). Called under the records' lock.
 */
export const deviceKey = async () => {
  if ((known ||= await read("keys", "device"))) return known;
  let failure;
  for (const algorithm of [
    ["EdDSA", { name: "Ed25519" }],
    ["ES256", { name: "ECDSA", namedCurve: "P-256" }],
  ])
    try {
      return (known = await generate(algorithm));
    } catch (error) {
      failure = error;
    }
  throw failure;
};

/**
 * The compact JWS of `record` signed with the device key `device`. The header
 * carries the public JWK, so any JOSE library verifies a record alone; ECDSA
 * signs as `r || s`, the JWS form (`hash` is ignored by Ed25519).
 */
export const sign = async (device, record) => {
  const header = { alg: device.alg, jwk: device.jwk, typ: "assent-record+jws" };
  const input = base64url(utf8(JSON.stringify(header))) + "." + base64url(utf8(jcs(record)));
  const signature = await subtle().sign({ ...device.key.algorithm, hash: "SHA-256" }, device.key, utf8(input));
  return input + "." + base64url(signature);
};
