/**
 * Offline XSD validation of generated manifests, for tests.
 *
 * A manifest mixes several namespaces (imscp + adlcp + imsss + ...). Validating against the
 * root XSD alone either rejects valid manifests (SCORM 1.2: `processContents="strict"` on the
 * extension points) or silently skips the extension elements (SCORM 2004: `lax`). So each
 * standard gets a tiny wrapper schema that `xs:import`s every namespace with its schemaLocation.
 *
 * xmllint-wasm writes every `preload` file to `/<fileName>` in an in-memory file system and
 * passes the schema file as `--schema <fileName>`; libxml2 resolves `schemaLocation`,
 * `xs:include` and DOCTYPE system ids relative to the including file, i.e. to `/<name>`.
 * So file names must equal the schemaLocation strings. Nothing can be fetched: remote
 * locations listed in `remote` are rewritten to the local copy before preloading (the copies in
 * src/targets/xsd already use relative names; the map guards against ADL's originals).
 * `xsi:schemaLocation` in the instance is ignored by `xmllint --schema`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

export interface XmlValidationResult {
  valid: boolean;
  /** xmllint messages as given, e.g. `imsmanifest.xml:12: element resource: Schemas validity error : ...` */
  errors: string[];
}

interface SchemaSet {
  /** directory holding the XSDs/DTDs */
  dir: string;
  /** files to preload, by the name their importers use */
  files: string[];
  /** namespace -> schemaLocation, imported by the wrapper */
  imports: Record<string, string>;
  /** remote URL -> local file name, rewritten in every preloaded file */
  remote?: Record<string, string>;
  /** minimal textual fixes for XSDs libxml2 refuses to compile (see comments at each use) */
  fixes?: { file: string; from: string; to: string }[];
  /** name given to the instance document in messages */
  docName: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const scormDefs = path.join(repoRoot, 'src/targets/xsd');

const W3C_REMOTE = {
  'http://www.w3.org/2001/xml.xsd': 'xml.xsd',
  'http://www.w3.org/2001/03/xml.xsd': 'xml.xsd',
  'http://www.w3.org/2001/XMLSchema.dtd': 'XMLSchema.dtd',
};

const SETS = {
  scorm12: {
    dir: path.join(scormDefs, 'scorm12edition'),
    files: ['imscp_rootv1p1p2.xsd', 'adlcp_rootv1p2.xsd', 'imsmd_rootv1p2p1.xsd', 'ims_xml.xsd'],
    imports: {
      'http://www.imsproject.org/xsd/imscp_rootv1p1p2': 'imscp_rootv1p1p2.xsd',
      'http://www.adlnet.org/xsd/adlcp_rootv1p2': 'adlcp_rootv1p2.xsd',
      'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1': 'imsmd_rootv1p2p1.xsd',
    },
    remote: { 'http://www.w3.org/2001/xml.xsd': 'ims_xml.xsd', 'http://www.w3.org/2001/03/xml.xsd': 'ims_xml.xsd' },
    fixes: [
      // Binds the xml namespace as the default namespace, which Namespaces in XML forbids:
      // libxml2 fails with "xml namespace URI cannot be the default namespace". Nothing in the
      // file uses unprefixed QNames, so dropping the declaration changes no meaning.
      { file: 'ims_xml.xsd', from: 'xmlns="http://www.w3.org/XML/1998/namespace"', to: '' },
      // grp.any with ##any after optional imsmd elements violates Unique Particle Attribution:
      // libxml2 fails with "The content model is not determinist" on 12 types. ##other is what
      // later IMS MD bindings use; it still admits extension elements from other namespaces.
      { file: 'imsmd_rootv1p2p1.xsd', from: 'namespace="##any"', to: 'namespace="##other"' },
    ],
    docName: 'imsmanifest.xml',
  },
  scorm2004: {
    dir: path.join(scormDefs, 'scorm20044thedition'),
    files: [
      'imscp_v1p1.xsd', 'adlcp_v1p3.xsd', 'adlseq_v1p3.xsd', 'adlnav_v1p3.xsd', 'imsss_v1p0.xsd',
      ...['auxresource', 'control', 'delivery', 'limit', 'objective', 'random', 'rollup', 'seqrule', 'util']
        .map((part) => `imsss_v1p0${part}.xsd`),
      'xml.xsd', 'XMLSchema.dtd', 'datatypes.dtd',
    ],
    imports: {
      'http://www.imsglobal.org/xsd/imscp_v1p1': 'imscp_v1p1.xsd',
      'http://www.adlnet.org/xsd/adlcp_v1p3': 'adlcp_v1p3.xsd',
      'http://www.adlnet.org/xsd/adlseq_v1p3': 'adlseq_v1p3.xsd',
      'http://www.adlnet.org/xsd/adlnav_v1p3': 'adlnav_v1p3.xsd',
      'http://www.imsglobal.org/xsd/imsss': 'imsss_v1p0.xsd',
    },
    remote: W3C_REMOTE,
    docName: 'imsmanifest.xml',
  },
  cmi5: {
    // Vendored with the packager's other schema files.
    dir: path.join(repoRoot, 'src/targets/xsd/cmi5'),
    files: ['cmi5-CourseStructure.xsd'],
    imports: { 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd': 'cmi5-CourseStructure.xsd' },
    docName: 'cmi5.xml',
  },
  cc: {
    // IMS Common Cartridge 1.1: the CP profile with its LOM and authorization parts, vendored.
    dir: path.join(repoRoot, 'src/targets/xsd/cc11'),
    files: [
      'ccv1p1_imscp_v1p2_v1p0.xsd', 'ccv1p1_imsccauth_v1p1.xsd', 'ccv1p1_lommanifest_v1p0.xsd',
      'ccv1p1_lomresource_v1p0.xsd', 'xml.xsd',
    ],
    imports: {
      'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1': 'ccv1p1_imscp_v1p2_v1p0.xsd',
      'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest': 'ccv1p1_lommanifest_v1p0.xsd',
      'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource': 'ccv1p1_lomresource_v1p0.xsd',
      'http://www.imsglobal.org/xsd/imsccv1p1/imsccauth_v1p1': 'ccv1p1_imsccauth_v1p1.xsd',
    },
    remote: W3C_REMOTE,
    docName: 'imsmanifest.xml',
  },
  qti: {
    // The CC 1.1 profile of QTI 1.2.1 ASI, for every assessment file.
    dir: path.join(repoRoot, 'src/targets/xsd/cc11'),
    files: ['ccv1p1_qtiasiv1p2p1_v1p0.xsd', 'xml.xsd'],
    imports: { 'http://www.imsglobal.org/xsd/ims_qtiasiv1p2': 'ccv1p1_qtiasiv1p2p1_v1p0.xsd' },
    remote: W3C_REMOTE,
    docName: 'assessment.xml',
  },
} satisfies Record<string, SchemaSet>;

type SetName = keyof typeof SETS;
const WRAPPER = 'wrapper.xsd';
const SETUP_PROBLEM = /failed to load|Skipping the import|Schemas parser (?:warning|error)/;

function wrapperSchema(imports: Record<string, string>): string {
  const lines = Object.entries(imports).map(
    ([ns, loc]) => `  <xs:import namespace="${ns}" schemaLocation="${loc}"/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
${lines.join('\n')}
</xs:schema>
`;
}

/** Rewrite remote locations to local names and apply the set's fixes to one file. */
function prepare(set: SchemaSet, fileName: string, text: string): string {
  for (const [url, local] of Object.entries(set.remote ?? {})) text = text.replaceAll(`"${url}"`, `"${local}"`);
  for (const fix of set.fixes ?? []) {
    if (fix.file !== fileName) continue;
    if (!text.includes(fix.from)) throw new Error(`${fileName}: expected "${fix.from}" to patch; did the XSD change?`);
    text = text.replaceAll(fix.from, fix.to);
  }
  return text;
}

const cache = new Map<SetName, Promise<XMLFileInfo[]>>();

/** The wrapper plus every schema file of a set, read once per process. */
function loadSet(name: SetName): Promise<XMLFileInfo[]> {
  let files = cache.get(name);
  if (!files) {
    const set: SchemaSet = SETS[name];
    files = Promise.all(
      set.files.map(async (fileName) => ({
        fileName,
        contents: prepare(set, fileName, await readFile(path.join(set.dir, fileName), 'utf8')),
      })),
    ).then((loaded) => [{ fileName: WRAPPER, contents: wrapperSchema(set.imports) }, ...loaded]);
    files.catch(() => cache.delete(name));
    cache.set(name, files);
  }
  return files;
}

async function validate(name: SetName, xml: string): Promise<XmlValidationResult> {
  const [wrapper, ...preload] = await loadSet(name);
  const docName = SETS[name].docName;
  let result;
  try {
    // Exactly one `schema`: xmllint-wasm turns each entry into its own --schema flag and xmllint
    // keeps only the last one, so dependencies go in `preload`, never in `schema`.
    result = await validateXML({ xml: [{ fileName: docName, contents: xml }], schema: [wrapper!], preload });
  } catch (err) {
    // xmllint exits 1 for a document that is not well-formed: report it like any other error.
    // Anything else (exit 5: the schemas did not compile) is a broken test setup: rethrow.
    if ((err as { code?: number }).code === 1) return { valid: false, errors: lines((err as Error).message) };
    throw err;
  }
  const output = lines(result.rawOutput).filter((l) => !/ (validates|fails to validate)$/.test(l));
  // An import libxml2 cannot load is only a warning ("Skipping the import") and leaves that
  // namespace unchecked (lax wildcards then accept anything): treat it, and any other noise on a
  // "valid" run, as a broken setup rather than a result.
  if (SETUP_PROBLEM.test(result.rawOutput) || (result.valid && output.length > 0)) {
    throw new Error(`xmllint could not set up the ${name} schemas:\n${result.rawOutput}`);
  }
  return { valid: result.valid, errors: output };
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}

export const validateScorm12Manifest = (xml: string) => validate('scorm12', xml);
export const validateScorm2004Manifest = (xml: string) => validate('scorm2004', xml);
export const validateCmi5CourseStructure = (xml: string) => validate('cmi5', xml);
export const validateCartridgeManifest = (xml: string) => validate('cc', xml);
export const validateCartridgeAssessment = (xml: string) => validate('qti', xml);
