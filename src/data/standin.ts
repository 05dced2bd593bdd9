/**
 * A deterministic procedural stand-in for CelebA (Liu et al. 2015), which cannot be
 * redistributed: `generateStandin({ out })` writes a CelebA-shaped folder, img_align_celeba/
 * 000001.jpg… at 178×218 plus list_attr_celeba.txt and list_eval_partition.txt, drawn with
 * @napi-rs/canvas. Face i depends only on (seed, i). Everything made from it is the stand-in.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { Rng } from '../util/rng';
import { DatasetError } from './errors';

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

/** Marker file that labels a folder as the stand-in (loaders read it and say so everywhere). */
export const STANDIN_MARKER = 'standin.json';
export const STANDIN_VERSION = 1;

export interface StandinOptions {
  /** Output folder (gets img_align_celeba/, the two list files, standin.json and README.txt). */
  out: string;
  /** Number of faces; default 20,000. */
  count?: number;
  /** Seed; default 0. Face i depends only on (seed, i). */
  seed?: number;
  /** JPEG quality 1–100; default 90. */
  quality?: number;
  onProgress?: (p: { done: number; total: number; elapsedSec: number }) => void;
}

export const STANDIN_DEFAULTS = { count: 20000, seed: 0, quality: 90 } as const;

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

const clamp255 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const jitter = (rng: Rng, c: [number, number, number], amount: number): [number, number, number] =>
  c.map((v) => clamp255(v + (rng.next() * 2 - 1) * amount)) as [number, number, number];
const rgb = (c: readonly number[], a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;
const shade = (c: readonly number[], f: number): [number, number, number] =>
  c.map((v) => clamp255(v * f)) as [number, number, number];

/** The face of index i under seed: a pure function of (seed, i). */
export function faceSpec(seed: number, index: number): FaceSpec {
  const rng = new Rng((Math.imul(seed >>> 0, 0x85ebca6b) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  rng.next();
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

function ellipse(ctx: SKRSContext2D, x: number, y: number, rx: number, ry: number, fill: string): void {
  ctx.beginPath();
  ctx.ellipse(x, y, Math.max(rx, 0.1), Math.max(ry, 0.1), 0, 0, Math.PI * 2);
  ctx.fillStyle = fill;
  ctx.fill();
}

/** Hair mass as a closed wavy or smooth outline around (cx, cy). */
function hairBlob(
  ctx: SKRSContext2D,
  f: FaceSpec,
  cx: number,
  top: number,
  bottom: number,
  halfW: number,
): void {
  ctx.beginPath();
  const steps = 40;
  for (let s = 0; s <= steps; s++) {
    const t = Math.PI + (s / steps) * Math.PI; // left → over the top → right
    const wave = f.wavy ? Math.sin(s * 1.7) * 3 : 0;
    const x = cx + Math.cos(t) * (halfW + wave);
    const y = top + (1 + Math.sin(t)) * (bottom - top) * 0.35 + wave;
    if (s === 0) ctx.moveTo(x, bottom);
    ctx.lineTo(x, y);
  }
  ctx.lineTo(cx + halfW, bottom);
  ctx.closePath();
  ctx.fillStyle = rgb(f.hairRgb);
  ctx.fill();
}

/** Draw one face into a 178×218 context. */
export function drawFace(ctx: SKRSContext2D, f: FaceSpec): void {
  const W = CELEBA_WIDTH;
  const H = CELEBA_HEIGHT;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.filter = 'none';
  const bg = ctx.createLinearGradient(0, 0, 0, H);
  bg.addColorStop(0, rgb(f.bgTop));
  bg.addColorStop(1, rgb(f.bgBottom));
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, W, H);

  // Pose: small rotation, shift and scale about the face centre (CelebA faces are aligned, not fixed).
  const cx = 89;
  const cy = 118;
  ctx.translate(cx + f.dx, cy + f.dy);
  ctx.rotate(f.rot);
  ctx.scale(f.scale, f.scale);
  ctx.translate(-cx, -cy);
  const fx = cx + f.yaw * 0.4; // features shift a little with yaw
  const skin = f.skin;
  const skinDark = shade(skin, 0.8);

  // Shoulders and clothing.
  ctx.beginPath();
  ctx.moveTo(cx - 85, H + 10);
  ctx.quadraticCurveTo(cx - 75, 185, cx - 25, 178);
  ctx.lineTo(cx + 25, 178);
  ctx.quadraticCurveTo(cx + 75, 185, cx + 85, H + 10);
  ctx.closePath();
  ctx.fillStyle = rgb(f.shirtRgb);
  ctx.fill();
  // Long hair falls behind the neck and shoulders.
  if (f.hairStyle === 'long') hairBlob(ctx, f, cx, cy - f.faceH - 14, cy + f.faceH + 28, f.faceW + 18);
  if (f.hairStyle === 'bob') hairBlob(ctx, f, cx, cy - f.faceH - 12, cy + f.faceH * 0.55, f.faceW + 12);
  // Neck.
  ctx.fillStyle = rgb(skinDark);
  ctx.fillRect(cx - 16, cy + f.faceH * 0.6, 32, 50);
  if (f.necklace) {
    ctx.strokeStyle = 'rgba(230,200,90,1)';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(cx, cy + f.faceH * 0.75, 22, 0.25 * Math.PI, 0.75 * Math.PI);
    ctx.stroke();
  }
  // Ears.
  ellipse(ctx, cx - f.faceW + 2, cy + 2, 7, 12, rgb(skinDark));
  ellipse(ctx, cx + f.faceW - 2, cy + 2, 7, 12, rgb(skinDark));
  if (f.earrings) {
    ellipse(ctx, cx - f.faceW + 1, cy + 16, 2.5, 2.5, 'rgb(235,205,90)');
    ellipse(ctx, cx + f.faceW - 1, cy + 16, 2.5, 2.5, 'rgb(235,205,90)');
  }
  // Face with side lighting: a radial gradient whose bright spot moves with the light.
  const g = ctx.createRadialGradient(fx + f.light * 20, cy - 20, 5, fx, cy, f.faceH * 1.2);
  g.addColorStop(0, rgb(shade(skin, 1.08)));
  g.addColorStop(0.6, rgb(skin));
  g.addColorStop(1, rgb(shade(skin, 0.72)));
  ellipse(ctx, cx, cy, f.faceW, f.faceH, '');
  ctx.fillStyle = g;
  ctx.fill();

  // Beard area.
  if (f.beard === 'stubble' || f.beard === 'full') {
    ctx.save();
    ctx.beginPath();
    ctx.ellipse(cx, cy, f.faceW, f.faceH, 0, 0.1 * Math.PI, 0.9 * Math.PI);
    ctx.closePath();
    ctx.fillStyle = rgb(f.hairRgb, f.beard === 'full' ? 0.9 : 0.3);
    ctx.fill();
    ctx.restore();
  }
  if (f.beard === 'goatee') ellipse(ctx, fx, cy + f.faceH * 0.8, 11, 10, rgb(f.hairRgb, 0.9));

  // Hair on top (styles other than bald) and hat.
  if (f.hairStyle !== 'bald') {
    ctx.save();
    ctx.beginPath();
    // Bezier with both controls at `ctrl` peaks at 0.25·start + 0.75·ctrl: put the peak above the face.
    const peak = cy - f.faceH - 7;
    const top = (peak - 0.25 * (cy - 4)) / 0.75;
    const fringe =
      f.hairStyle === 'bangs'
        ? cy - f.faceH * 0.38
        : f.hairStyle === 'short'
          ? cy - f.faceH * 0.62
          : cy - f.faceH * 0.55;
    ctx.moveTo(cx - f.faceW - 6, cy - 4);
    ctx.bezierCurveTo(cx - f.faceW - 8, top, cx + f.faceW + 8, top, cx + f.faceW + 6, cy - 4);
    if (f.hairStyle === 'sidepart') {
      ctx.quadraticCurveTo(cx + 10, fringe - 12, cx - f.faceW * 0.3, fringe + 4);
      ctx.quadraticCurveTo(cx - f.faceW * 0.8, fringe, cx - f.faceW - 6, cy - 4);
    } else {
      for (let k = 4; k >= 0; k--) {
        const x = cx - f.faceW + (2 * f.faceW * k) / 4;
        ctx.lineTo(x, fringe + (f.wavy ? (k % 2) * 4 : 0));
      }
      ctx.lineTo(cx - f.faceW - 6, cy - 4);
    }
    ctx.closePath();
    ctx.fillStyle = rgb(f.hairRgb);
    ctx.fill();
    ctx.restore();
  }
  if (f.hat) {
    ctx.beginPath();
    ctx.ellipse(cx, cy - f.faceH * 0.62, f.faceW + 14, 9, 0, 0, Math.PI * 2);
    ctx.fillStyle = rgb(f.hatRgb);
    ctx.fill();
    ctx.beginPath();
    ctx.ellipse(cx, cy - f.faceH * 0.68, f.faceW * 0.95, f.faceH * 0.5, 0, Math.PI, 2 * Math.PI);
    ctx.fill();
  }

  // Eyes.
  const eyeY = cy - f.faceH * 0.12;
  const eyeDx = f.faceW * 0.42;
  const eh = f.narrowEyes ? f.eyeSize * 0.45 : f.eyeSize * 0.75;
  for (const side of [-1, 1]) {
    const ex = fx + side * eyeDx;
    if (f.makeup) ellipse(ctx, ex, eyeY - 2, f.eyeSize * 1.8, eh * 1.6, 'rgba(90,50,90,0.35)');
    ellipse(ctx, ex, eyeY, f.eyeSize * 1.5, eh, 'rgb(245,245,240)');
    ellipse(ctx, ex + f.yaw * 0.2, eyeY, eh * 0.95, eh * 0.95, rgb(f.eyeColor));
    ellipse(ctx, ex + f.yaw * 0.2, eyeY, eh * 0.45, eh * 0.45, 'rgb(10,10,10)');
    // Eyebrow.
    ctx.beginPath();
    ctx.moveTo(ex - f.eyeSize * 1.8, eyeY - 9);
    ctx.quadraticCurveTo(ex, eyeY - 12 - f.browArch, ex + f.eyeSize * 1.8, eyeY - 9 + side * 0.5);
    ctx.strokeStyle = rgb(shade(f.hairStyle === 'bald' ? [60, 45, 35] : f.hairRgb, 0.7));
    ctx.lineWidth = f.browThick;
    ctx.lineCap = 'round';
    ctx.stroke();
    if (f.rosy) ellipse(ctx, ex + side * 4, eyeY + 18, 9, 6, 'rgba(220,80,80,0.25)');
  }
  // Nose: a soft shadow on the side away from the light.
  ctx.beginPath();
  ctx.moveTo(fx, eyeY + 4);
  ctx.quadraticCurveTo(fx - f.light * 5, eyeY + 20, fx - 4, eyeY + 24);
  ctx.lineTo(fx + 4, eyeY + 24);
  ctx.strokeStyle = rgb(shade(skin, 0.7), 0.8);
  ctx.lineWidth = 1.5;
  ctx.stroke();

  // Mouth: smiling curves up; open mouths show teeth.
  const my = cy + f.faceH * 0.48;
  const mw = (f.smiling ? 15 : 11) + (f.bigLips ? 2 : 0);
  const lip = f.lipstick ? [175, 30, 50] : shade(skin, 0.68);
  const curve = f.smiling ? 7 : 1;
  const open = f.mouthOpen ? (f.smiling ? 7 : 4) : 0;
  ctx.beginPath();
  ctx.moveTo(fx - mw, my - (f.smiling ? 3 : 0));
  ctx.quadraticCurveTo(fx, my + curve - 2, fx + mw, my - (f.smiling ? 3 : 0));
  ctx.quadraticCurveTo(fx, my + curve + open + (f.bigLips ? 5 : 3), fx - mw, my - (f.smiling ? 3 : 0));
  ctx.closePath();
  ctx.fillStyle = rgb(lip);
  ctx.fill();
  if (open > 0) {
    ctx.beginPath();
    ctx.moveTo(fx - mw + 3, my - 1);
    ctx.quadraticCurveTo(fx, my + curve, fx + mw - 3, my - 1);
    ctx.quadraticCurveTo(fx, my + curve + open, fx - mw + 3, my - 1);
    ctx.fillStyle = f.smiling ? 'rgb(240,240,232)' : 'rgb(60,20,25)';
    ctx.fill();
  }
  if (f.beard === 'mustache' || f.beard === 'full') {
    ctx.beginPath();
    ctx.moveTo(fx - mw - 2, my - 2);
    ctx.quadraticCurveTo(fx, my - 12, fx + mw + 2, my - 2);
    ctx.quadraticCurveTo(fx, my - 6, fx - mw - 2, my - 2);
    ctx.fillStyle = rgb(f.hairRgb);
    ctx.fill();
  }

  // Glasses.
  if (f.glasses !== 'none') {
    ctx.lineWidth = 2.2;
    ctx.strokeStyle = rgb(f.glassesRgb);
    for (const side of [-1, 1]) {
      ctx.beginPath();
      ctx.ellipse(fx + side * eyeDx, eyeY, 11, 8.5, 0, 0, Math.PI * 2);
      if (f.glasses === 'sun') {
        ctx.fillStyle = 'rgba(15,15,20,0.92)';
        ctx.fill();
      }
      ctx.stroke();
    }
    ctx.beginPath();
    ctx.moveTo(fx - eyeDx + 11, eyeY - 1);
    ctx.lineTo(fx + eyeDx - 11, eyeY - 1);
    ctx.moveTo(fx - eyeDx - 11, eyeY - 2);
    ctx.lineTo(cx - f.faceW + 1, eyeY - 4);
    ctx.moveTo(fx + eyeDx + 11, eyeY - 2);
    ctx.lineTo(cx + f.faceW - 1, eyeY - 4);
    ctx.stroke();
  }

  // Global lighting: darken or brighten the whole frame, and a side shadow.
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (f.brightness < 1) {
    ctx.fillStyle = `rgba(0,0,0,${(1 - f.brightness).toFixed(3)})`;
    ctx.fillRect(0, 0, W, H);
  } else {
    ctx.fillStyle = `rgba(255,255,255,${((f.brightness - 1) * 0.5).toFixed(3)})`;
    ctx.fillRect(0, 0, W, H);
  }
  const side = ctx.createLinearGradient(0, 0, W, 0);
  side.addColorStop(0, `rgba(0,0,0,${Math.max(0, f.light) * 0.25})`);
  side.addColorStop(1, `rgba(0,0,0,${Math.max(0, -f.light) * 0.25})`);
  ctx.fillStyle = side;
  ctx.fillRect(0, 0, W, H);
}

/** The canvas module, loaded on first use so importing this file (for its constants) stays cheap. */
function canvasModule(): typeof import('@napi-rs/canvas') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
}

/** Render face i of `seed` as JPEG bytes. */
export async function renderFaceJpeg(
  seed: number,
  index: number,
  quality: number = STANDIN_DEFAULTS.quality,
): Promise<Buffer> {
  const { createCanvas } = canvasModule();
  const spec = faceSpec(seed, index);
  const canvas = createCanvas(CELEBA_WIDTH, CELEBA_HEIGHT);
  const ctx = canvas.getContext('2d');
  drawFace(ctx, spec);
  if (spec.blurry) {
    const blurred = createCanvas(CELEBA_WIDTH, CELEBA_HEIGHT);
    const bctx = blurred.getContext('2d');
    bctx.filter = 'blur(1.6px)';
    bctx.drawImage(canvas, 0, 0);
    return blurred.encode('jpeg', quality);
  }
  return canvas.encode('jpeg', quality);
}

/** CelebA's official partition boundaries (1-based last id of train and valid of 202,599). */
const OFFICIAL = { train: 162770, valid: 182637, total: 202599 };

/** Partition (0 train, 1 valid, 2 test) of image i of n, in CelebA's proportions. */
export function standinPartition(i: number, n: number): 0 | 1 | 2 {
  const t = Math.round((n * OFFICIAL.train) / OFFICIAL.total);
  const v = Math.round((n * OFFICIAL.valid) / OFFICIAL.total);
  return i < t ? 0 : i < v ? 1 : 2;
}

export interface StandinResult {
  out: string;
  count: number;
  seed: number;
  seconds: number;
}

/** Write the stand-in folder. Existing files with the same names are overwritten. */
export async function generateStandin(options: StandinOptions): Promise<StandinResult> {
  const count = options.count ?? STANDIN_DEFAULTS.count;
  const seed = options.seed ?? STANDIN_DEFAULTS.seed;
  const quality = options.quality ?? STANDIN_DEFAULTS.quality;
  if (!Number.isInteger(count) || count < 1 || count > 999999) {
    throw new DatasetError(`Expected count to be an integer in 1…999999, but got ${count}.`);
  }
  if (!Number.isInteger(seed) || seed < 0)
    throw new DatasetError(`Expected seed ≥ 0 (integer), but got ${seed}.`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new DatasetError(`Expected quality in 1…100, but got ${quality}.`);
  }
  const out = path.resolve(options.out);
  const imgDir = path.join(out, 'img_align_celeba');
  fs.mkdirSync(imgDir, { recursive: true });
  const t0 = Date.now();
  const names: string[] = [];
  const attrLines: string[] = [];
  const partLines: string[] = [];
  // Drawing is synchronous; JPEG encoding runs on the libuv pool, so keep a few in flight.
  const inflight: Promise<void>[] = [];
  const window = 8;
  let done = 0;
  let lastReport = 0;
  for (let i = 0; i < count; i++) {
    const name = `${String(i + 1).padStart(6, '0')}.jpg`;
    names.push(name);
    const attrs = faceAttributes(faceSpec(seed, i));
    attrLines.push(`${name} ${CELEBA_ATTRIBUTES.map((a) => String(attrs[a]).padStart(2)).join(' ')}`);
    partLines.push(`${name} ${standinPartition(i, count)}`);
    inflight.push(
      renderFaceJpeg(seed, i, quality).then(async (jpeg) => {
        await fs.promises.writeFile(path.join(imgDir, name), jpeg);
        done++;
        const now = Date.now();
        if (options.onProgress && (now - lastReport > 200 || done === count)) {
          lastReport = now;
          options.onProgress({ done, total: count, elapsedSec: (now - t0) / 1000 });
        }
      }),
    );
    if (inflight.length >= window) await inflight.shift();
  }
  await Promise.all(inflight);
  fs.writeFileSync(
    path.join(out, 'list_attr_celeba.txt'),
    `${count}\n${CELEBA_ATTRIBUTES.join(' ')}\n${attrLines.join('\n')}\n`,
  );
  fs.writeFileSync(path.join(out, 'list_eval_partition.txt'), `${partLines.join('\n')}\n`);
  const seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(
    path.join(out, STANDIN_MARKER),
    JSON.stringify(
      {
        generator: 'gan-notebooks procedural CelebA stand-in',
        version: STANDIN_VERSION,
        count,
        seed,
        quality,
      },
      null,
      2,
    ) + '\n',
  );
  fs.writeFileSync(
    path.join(out, 'README.txt'),
    'PROCEDURAL STAND-IN — NOT CelebA.\n' +
      `Generated by \`npx gan data standin\` (seed ${seed}, ${count} faces): simple drawn faces in CelebA's layout\n` +
      '(img_align_celeba/*.jpg at 178×218, list_attr_celeba.txt, list_eval_partition.txt) so the CelebA code path\n' +
      'runs where the real data (https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html) is absent.\n' +
      'Label anything trained or plotted from it as the stand-in.\n',
  );
  return { out, count, seed, seconds };
}
