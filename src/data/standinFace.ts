/**
 * One face of the CelebA stand-in (standin.ts) as data: CelebA's image size and 40 attributes, the
 * description of face i drawn from (seed, i), and the attributes that description implies (so the
 * labels are always true). standinDraw.ts draws it.
 */
import { Rng } from '../util/rng';

/** Size of CelebA's aligned-and-cropped images. */
export const CELEBA_WIDTH = 178;
export const CELEBA_HEIGHT = 218;

/** The 40 attributes of list_attr_celeba.txt, in the official order. */
export const CELEBA_ATTRIBUTES = [
  '5_o_Clock_Shadow', 'Arched_Eyebrows', 'Attractive', 'Bags_Under_Eyes', 'Bald', 'Bangs', 'Big_Lips',
  'Big_Nose', 'Black_Hair', 'Blond_Hair', 'Blurry', 'Brown_Hair', 'Bushy_Eyebrows', 'Chubby', 'Double_Chin',
  'Eyeglasses', 'Goatee', 'Gray_Hair', 'Heavy_Makeup', 'High_Cheekbones', 'Male', 'Mouth_Slightly_Open',
  'Mustache', 'Narrow_Eyes', 'No_Beard', 'Oval_Face', 'Pale_Skin', 'Pointy_Nose', 'Receding_Hairline',
  'Rosy_Cheeks', 'Sideburns', 'Smiling', 'Straight_Hair', 'Wavy_Hair', 'Wearing_Earrings', 'Wearing_Hat',
  'Wearing_Lipstick', 'Wearing_Necklace', 'Wearing_Necktie', 'Young',
] as const; // prettier-ignore
export type CelebaAttribute = (typeof CELEBA_ATTRIBUTES)[number];

/** Everything that describes one face; attributes are derived from it, so they are always true. */
export interface FaceSpec {
  male: boolean;
  young: boolean;
  skin: [number, number, number];
  paleSkin: boolean;
  faceW: number;
  faceH: number;
  chubby: boolean;
  hair: 'black' | 'brown' | 'blond' | 'gray' | 'red';
  hairRgb: [number, number, number];
  hairStyle: 'short' | 'long' | 'bangs' | 'bald' | 'bob' | 'sidepart';
  wavy: boolean;
  eyeColor: [number, number, number];
  eyeSize: number;
  narrowEyes: boolean;
  browThick: number;
  browArch: number;
  smiling: boolean;
  mouthOpen: boolean;
  bigLips: boolean;
  lipstick: boolean;
  makeup: boolean;
  rosy: boolean;
  glasses: 'none' | 'clear' | 'sun';
  glassesRgb: [number, number, number];
  beard: 'none' | 'stubble' | 'goatee' | 'mustache' | 'full';
  hat: boolean;
  hatRgb: [number, number, number];
  earrings: boolean;
  necklace: boolean;
  bgTop: [number, number, number];
  bgBottom: [number, number, number];
  shirtRgb: [number, number, number];
  light: number;
  brightness: number;
  rot: number;
  dx: number;
  dy: number;
  yaw: number;
  scale: number;
  blurry: boolean;
}

const HAIR: Record<FaceSpec['hair'], [number, number, number]> = {
  black: [28, 22, 20],
  brown: [96, 60, 34],
  blond: [214, 180, 110],
  gray: [168, 166, 160],
  red: [150, 64, 30],
};

function pick<T>(rng: Rng, items: readonly T[], weights?: readonly number[]): T {
  if (!weights) return items[rng.int(items.length)];
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    u -= weights[i];
    if (u < 0) return items[i];
  }
  return items[items.length - 1];
}

export const clamp255 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const jitter = (rng: Rng, c: [number, number, number], amount: number): [number, number, number] =>
  c.map((v) => clamp255(v + (rng.next() * 2 - 1) * amount)) as [number, number, number];

/** The face of index i under seed: a pure function of (seed, i). */
export function faceSpec(seed: number, index: number): FaceSpec {
  const rng = new Rng((Math.imul(seed >>> 0, 0x85ebca6b) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  rng.next();
  // The draws happen in a fixed order (the basics, then the details): reordering them changes every face.
  return faceDetails(rng, faceBasics(rng));
}

/** The traits the others depend on: sex, age, skin, hair, face shape, smile, beard, glasses, lipstick. */
type FaceBasics = Pick<
  FaceSpec,
  | 'male'
  | 'young'
  | 'skin'
  | 'faceW'
  | 'faceH'
  | 'chubby'
  | 'hair'
  | 'hairStyle'
  | 'smiling'
  | 'beard'
  | 'glasses'
  | 'lipstick'
> & { tone: number };

function faceBasics(rng: Rng): FaceBasics {
  const male = rng.next() < 0.45;
  const young = rng.next() < 0.75;
  // Skin: a continuum from very light to very dark, slightly warm.
  const tone = rng.next();
  const skin = jitter(rng, [250 - tone * 175, 215 - tone * 160, 190 - tone * 140], 10);
  const hair: FaceSpec['hair'] = young
    ? pick(rng, ['black', 'brown', 'blond', 'red'] as const, [0.4, 0.35, 0.2, 0.05])
    : pick(rng, ['black', 'brown', 'blond', 'gray'] as const, [0.2, 0.2, 0.1, 0.5]);
  const hairStyle: FaceSpec['hairStyle'] = male
    ? pick(rng, ['short', 'sidepart', 'bald', 'bangs', 'long'] as const, [
        0.45,
        0.25,
        young ? 0.05 : 0.2,
        0.1,
        0.05,
      ])
    : pick(rng, ['long', 'bob', 'bangs', 'sidepart', 'short'] as const, [0.45, 0.2, 0.2, 0.1, 0.05]);
  const chubby = rng.next() < 0.12;
  const faceW = (chubby ? 50 : 42) + rng.next() * 8 - (male ? 0 : 2);
  const faceH = 58 + rng.next() * 10;
  const smiling = rng.next() < 0.48;
  const beard: FaceSpec['beard'] = male
    ? pick(rng, ['none', 'stubble', 'goatee', 'mustache', 'full'] as const, [0.55, 0.15, 0.1, 0.08, 0.12])
    : 'none';
  const glasses: FaceSpec['glasses'] = pick(rng, ['none', 'clear', 'sun'] as const, [0.8, 0.14, 0.06]);
  const lipstick = !male && rng.next() < 0.55;
  return {
    male,
    young,
    tone,
    skin,
    hair,
    hairStyle,
    chubby,
    faceW,
    faceH,
    smiling,
    beard,
    glasses,
    lipstick,
  };
}

/** Everything else, drawn after the basics: colours, sizes, accessories, background, light and pose. */
function faceDetails(rng: Rng, basics: FaceBasics): FaceSpec {
  const {
    male,
    young,
    tone,
    skin,
    hair,
    hairStyle,
    chubby,
    faceW,
    faceH,
    smiling,
    beard,
    glasses,
    lipstick,
  } = basics;
  return {
    male,
    young,
    skin,
    paleSkin: tone < 0.08,
    faceW,
    faceH,
    chubby,
    hair,
    hairRgb: jitter(rng, HAIR[hair], 18),
    hairStyle,
    wavy: hairStyle !== 'bald' && rng.next() < 0.3,
    eyeColor: pick(rng, [
      [70, 45, 25],
      [40, 30, 20],
      [60, 100, 150],
      [70, 110, 70],
    ] as [number, number, number][]),
    eyeSize: 4.2 + rng.next() * 1.8,
    narrowEyes: rng.next() < 0.12,
    browThick: male ? 2.6 + rng.next() * 2 : 1.6 + rng.next() * 1.6,
    browArch: rng.next() * 4,
    smiling,
    mouthOpen: smiling ? rng.next() < 0.6 : rng.next() < 0.1,
    bigLips: rng.next() < 0.2,
    lipstick,
    makeup: lipstick && rng.next() < 0.6,
    rosy: rng.next() < 0.15,
    glasses,
    glassesRgb: pick(rng, [
      [20, 20, 20],
      [90, 60, 30],
      [150, 150, 160],
      [120, 20, 30],
    ] as [number, number, number][]),
    beard,
    hat: rng.next() < 0.06,
    hatRgb: jitter(rng, [120, 80, 80], 100),
    earrings: !male && hairStyle !== 'long' && rng.next() < 0.35,
    necklace: rng.next() < (male ? 0.03 : 0.2),
    bgTop: jitter(rng, [128, 128, 128], 120),
    bgBottom: jitter(rng, [128, 128, 128], 120),
    shirtRgb: jitter(rng, [128, 128, 128], 127),
    light: rng.next() * 2 - 1,
    brightness: 0.8 + rng.next() * 0.4,
    rot: (rng.next() * 2 - 1) * 0.1,
    dx: (rng.next() * 2 - 1) * 4,
    dy: (rng.next() * 2 - 1) * 4,
    yaw: (rng.next() * 2 - 1) * 5,
    scale: 0.93 + rng.next() * 0.14,
    blurry: rng.next() < 0.04,
  };
}

/** The 40 CelebA attributes (+1 / -1) implied by a face. */
export function faceAttributes(f: FaceSpec): Record<CelebaAttribute, 1 | -1> {
  const b = (x: boolean): 1 | -1 => (x ? 1 : -1);
  const out = Object.fromEntries(CELEBA_ATTRIBUTES.map((a) => [a, -1])) as Record<CelebaAttribute, 1 | -1>;
  Object.assign(out, {
    '5_o_Clock_Shadow': b(f.beard === 'stubble'),
    Arched_Eyebrows: b(f.browArch > 2.5),
    Bald: b(f.hairStyle === 'bald'),
    Bangs: b(f.hairStyle === 'bangs'),
    Big_Lips: b(f.bigLips),
    Black_Hair: b(f.hair === 'black' && f.hairStyle !== 'bald'),
    Blond_Hair: b(f.hair === 'blond' && f.hairStyle !== 'bald'),
    Blurry: b(f.blurry),
    Brown_Hair: b(f.hair === 'brown' && f.hairStyle !== 'bald'),
    Bushy_Eyebrows: b(f.browThick > 3.8),
    Chubby: b(f.chubby),
    Eyeglasses: b(f.glasses !== 'none'),
    Goatee: b(f.beard === 'goatee' || f.beard === 'full'),
    Gray_Hair: b(f.hair === 'gray' && f.hairStyle !== 'bald'),
    Heavy_Makeup: b(f.makeup),
    Male: b(f.male),
    Mouth_Slightly_Open: b(f.mouthOpen),
    Mustache: b(f.beard === 'mustache' || f.beard === 'full'),
    Narrow_Eyes: b(f.narrowEyes),
    No_Beard: b(f.beard === 'none'),
    Oval_Face: b(!f.chubby && f.faceH / f.faceW > 1.38),
    Pale_Skin: b(f.paleSkin),
    Rosy_Cheeks: b(f.rosy),
    Smiling: b(f.smiling),
    Straight_Hair: b(!f.wavy && f.hairStyle !== 'bald'),
    Wavy_Hair: b(f.wavy),
    Wearing_Earrings: b(f.earrings),
    Wearing_Hat: b(f.hat),
    Wearing_Lipstick: b(f.lipstick),
    Wearing_Necklace: b(f.necklace),
    Young: b(f.young),
  });
  return out;
}
