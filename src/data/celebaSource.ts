/**
 * Where CelebA images come from: `DIR/img_align_celeba/*.jpg` or the official
 * `DIR/img_align_celeba.zip`, read in place (no unzip; entries are decoded in memory and a zip
 * entry with an absolute path or `..` is refused, never written). Also finds the annotation
 * files and the stand-in marker, and fingerprints the source so caches know when it changed.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yauzl from 'yauzl';
import { DatasetError } from './errors';
import { STANDIN_MARKER } from './standin';

/** Extensions taken as images; anything else in the folder is ignored (and counted). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'];

export const CELEBA_HOWTO =
  'Get the real data from https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html ("Align&Cropped Images": ' +
  'img_align_celeba.zip, plus Anno/list_attr_celeba.txt) and put it in that folder, or make the ' +
  'procedural stand-in there: npx gan data standin --out <DIR>';

export interface SourceEntry {
  /** File name without folders, e.g. `000001.jpg` (the key of the annotation files). */
  name: string;
  /** Compressed or on-disk size in bytes. */
  size: number;
  read(): Promise<Buffer>;
}

export interface RefusedEntry {
  name: string;
  reason: string;
}

export interface CelebaSource {
  kind: 'folder' | 'zip';
  /** The folder or zip file read. */
  path: string;
  /** The dataset folder (where annotations and the stand-in marker live). */
  dir: string;
  /** Image entries, sorted by name. */
  entries: SourceEntry[];
  /** Non-image files seen and ignored. */
  ignored: number;
  /** Zip entries refused as unsafe (absolute paths, `..`). */
  refused: RefusedEntry[];
  /** Changes whenever an image is added, removed, renamed or rewritten. */
  fingerprint: string;
  /** list_attr_celeba.txt, when present. */
  attributesFile?: string;
  /** list_eval_partition.txt, when present. */
  partitionFile?: string;
  /** True when DIR holds the stand-in marker. */
  standIn: boolean;
  /** See CelebaLocation.quickFingerprint. */
  quickFingerprint?: string;
  close(): Promise<void>;
}

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

function findFile(dir: string, names: string[]): string | undefined {
  return names.map((n) => path.join(dir, n)).find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
}

/** Where the images are, found without listing them (cheap). */
export interface CelebaLocation {
  kind: 'folder' | 'zip';
  /** The image folder or the zip file. */
  path: string;
  dir: string;
  attributesFile?: string;
  partitionFile?: string;
  standIn: boolean;
  /**
   * Zip only: the zip file's size and mtime. A cache built from the same file (same quick
   * fingerprint) is used without reading the 200k-entry central directory again.
   */
  quickFingerprint?: string;
}

/** Find the CelebA images in `dir` (see the file header); throws with how to get them. */
export function locateCelebaSource(dir: string): CelebaLocation {
  const root = path.resolve(dir);
  if (!fs.existsSync(root)) {
    throw new DatasetError(`CelebA folder ${root} does not exist. ${CELEBA_HOWTO.replace('<DIR>', dir)}`);
  }
  let folder: string | undefined;
  let zip: string | undefined;
  let base = root;
  if (fs.statSync(root).isFile() && root.toLowerCase().endsWith('.zip')) {
    zip = root;
    base = path.dirname(root);
  } else if (
    fs.existsSync(path.join(root, 'img_align_celeba')) &&
    fs.statSync(path.join(root, 'img_align_celeba')).isDirectory()
  ) {
    folder = path.join(root, 'img_align_celeba');
  } else if (fs.existsSync(path.join(root, 'img_align_celeba.zip'))) {
    zip = path.join(root, 'img_align_celeba.zip');
  } else if (fs.statSync(root).isDirectory() && fs.readdirSync(root).some(isImageName)) {
    folder = root; // the image folder itself was given
  } else {
    throw new DatasetError(
      `No CelebA images in ${root}: expected ${path.join(root, 'img_align_celeba')}/*.jpg or ` +
        `${path.join(root, 'img_align_celeba.zip')}. ${CELEBA_HOWTO.replace('<DIR>', dir)}`,
    );
  }
  let quickFingerprint: string | undefined;
  if (zip) {
    const st = fs.statSync(zip);
    quickFingerprint = `zip-file:${st.size}:${Math.round(st.mtimeMs)}`;
  }
  return {
    kind: folder ? 'folder' : 'zip',
    path: (folder ?? zip)!,
    quickFingerprint,
    dir: base,
    attributesFile: findFile(base, ['list_attr_celeba.txt', path.join('Anno', 'list_attr_celeba.txt')]),
    partitionFile: findFile(base, ['list_eval_partition.txt', path.join('Eval', 'list_eval_partition.txt')]),
    standIn: fs.existsSync(path.join(base, STANDIN_MARKER)),
  };
}

/** Locate and list the CelebA images in `dir`. */
export async function openCelebaSource(dir: string): Promise<CelebaSource> {
  const meta = locateCelebaSource(dir);
  const src = meta.kind === 'folder' ? openFolder(meta.path) : await openZip(meta.path);
  if (src.entries.length === 0) {
    throw new DatasetError(
      `${src.path} holds no images (${IMAGE_EXTENSIONS.join(', ')}); ${src.ignored} other file(s) ignored` +
        `${src.refused.length ? `, ${src.refused.length} unsafe zip entries refused` : ''}. ${CELEBA_HOWTO.replace('<DIR>', dir)}`,
    );
  }
  return { ...meta, ...src };
}

type Listed = Pick<
  CelebaSource,
  'kind' | 'path' | 'entries' | 'ignored' | 'refused' | 'fingerprint' | 'close'
>;

function openFolder(folder: string): Listed {
  const hash = crypto.createHash('sha1');
  const entries: SourceEntry[] = [];
  let ignored = 0;
  const names = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isFile() || d.isSymbolicLink())
    .map((d) => d.name)
    .sort();
  for (const name of names) {
    if (!isImageName(name) || name.startsWith('._')) {
      ignored++;
      continue;
    }
    const file = path.join(folder, name);
    const st = fs.statSync(file);
    hash.update(`${name}\0${st.size}\0${Math.round(st.mtimeMs)}\n`);
    entries.push({ name, size: st.size, read: () => fs.promises.readFile(file) });
  }
  return {
    kind: 'folder',
    path: folder,
    entries,
    ignored,
    refused: [],
    fingerprint: `folder:${entries.length}:${hash.digest('hex')}`,
    close: async () => {},
  };
}

/** yauzl with decodeStrings off: it would abort the whole zip on one unsafe name; we refuse that entry only. */
async function openZip(file: string): Promise<Listed> {
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false }, (err, zf) =>
        err ? reject(err) : resolve(zf!),
      ),
    );
  } catch (e) {
    throw new DatasetError(`${file}: not a readable zip file (${(e as Error).message}). Download it again.`);
  }
  const hash = crypto.createHash('sha1');
  const entries: SourceEntry[] = [];
  const refused: RefusedEntry[] = [];
  let ignored = 0;
  const y = yauzl as unknown as {
    getFileNameLowLevel(flags: number, raw: Buffer, extra: unknown, strict: boolean): string;
    validateFileName(name: string): string | null;
  };
  await new Promise<void>((resolve, reject) => {
    zipfile.on('error', (e: Error) => reject(new DatasetError(`${file}: corrupt zip (${e.message}).`)));
    zipfile.on('end', () => resolve());
    zipfile.on('entry', (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      const name = y.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
      const unsafe = y.validateFileName(name);
      if (unsafe !== null) {
        refused.push({ name, reason: unsafe });
      } else if (!name.endsWith('/')) {
        const short = path.posix.basename(name);
        if (!isImageName(short) || short.startsWith('._') || name.startsWith('__MACOSX/')) {
          ignored++;
        } else {
          hash.update(`${name}\0${entry.crc32}\0${entry.uncompressedSize}\n`);
          entries.push({
            name: short,
            size: entry.compressedSize,
            read: () => readZipEntry(zipfile, entry, file, name),
          });
        }
      }
      zipfile.readEntry();
    });
    zipfile.readEntry();
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].name === entries[i - 1].name) {
      throw new DatasetError(
        `${file}: two image entries are named ${entries[i].name}; expected unique names.`,
      );
    }
  }
  return {
    kind: 'zip',
    path: file,
    entries,
    ignored,
    refused,
    fingerprint: `zip:${entries.length}:${hash.digest('hex')}`,
    close: async () => zipfile.close(),
  };
}

function readZipEntry(
  zipfile: yauzl.ZipFile,
  entry: yauzl.Entry,
  file: string,
  name: string,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(new Error(`${file}:${name}: ${err?.message ?? 'no stream'}`));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e: Error) => reject(new Error(`${file}:${name}: ${e.message}`)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}
