// Independent check of a Chalkmark Open Badges 3.0 credential with Digital Bazaar's
// VC stack (the same libraries wallets and verifiers use). No network: the document
// loader serves the local contexts and the documents the test hands over.
//
//   node verify.mjs CREDENTIAL.json DOCUMENTS.json CONTEXT_DIR
//
// DOCUMENTS.json maps URL -> JSON document (the issuer's controller document, its
// status list credential). Prints one JSON line: {verified, revoked, errors}.
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import didContext from 'did-context';
import multikeyContext from '@digitalbazaar/multikey-context';

const [credentialFile, documentsFile, contextDir] = process.argv.slice(2);
const credential = JSON.parse(readFileSync(credentialFile, 'utf8'));
const documents = JSON.parse(readFileSync(documentsFile, 'utf8'));

const contexts = new Map([
  [didContext.CONTEXT_URL, didContext.CONTEXT],
  [multikeyContext.CONTEXT_URL, multikeyContext.CONTEXT],
]);
const byFile = {
  'credentials-v2.json': 'https://www.w3.org/ns/credentials/v2',
  'ob-v3p0-context-3.0.3.json': 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
};
for(const file of readdirSync(contextDir)) {
  if(byFile[file]) {
    contexts.set(byFile[file], JSON.parse(readFileSync(join(contextDir, file), 'utf8')));
  }
}

// A verification method id "https://issuer#key-1" dereferences to the method listed in
// the issuer's controller document (ids there resolved against the document's URL).
function verificationMethod(url) {
  const [base] = url.split('#');
  const controller = documents[base];
  if(!controller) {
    return undefined;
  }
  const method = (controller.verificationMethod || [])
    .find(m => new URL(m.id, base).href === url);
  if(!method) {
    return undefined;
  }
  return {
    '@context': multikeyContext.CONTEXT_URL, ...method,
    id: new URL(method.id, base).href,
  };
}

async function documentLoader(url) {
  let document = contexts.get(url) || documents[url];
  if(!document && url.includes('#')) {
    document = verificationMethod(url);
  }
  if(!document) {
    throw new Error(`refusing to load ${url}: not a local document`);
  }
  return {contextUrl: null, documentUrl: url, document};
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const messages = error => {
  if(!error) {
    return [];
  }
  const list = Array.isArray(error) ? error : (error.errors || [error]);
  return list.map(e => e.message || String(e));
};

try {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const status = result.statusResult;
  const revoked = Boolean(status && status.results &&
    status.results.some(r => r.status === true));
  const errors = messages(result.error);
  for(const r of result.results || []) {
    errors.push(...messages(r.error));
  }
  console.log(JSON.stringify({
    verified: result.verified, proofVerified: (result.results || []).every(r => r.verified),
    revoked, statusVerified: Boolean(status && status.verified), errors,
  }));
} catch(error) {
  console.log(JSON.stringify({verified: false, revoked: false, errors: [error.message]}));
}
