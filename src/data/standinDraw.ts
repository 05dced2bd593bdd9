/**
 * Drawing one stand-in face (standinFace.ts describes it) into a 178×218 canvas context, back to
 * front: background, pose, shoulders and neck, the face, hair and hat, eyes, nose, mouth, glasses,
 * then the global lighting. Each part reads the context state the previous ones left (fill and
 * stroke styles, line cap), exactly as when it was one function, so the pixels are unchanged.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { CELEBA_HEIGHT, CELEBA_WIDTH, clamp255, type FaceSpec } from './standinFace';

const rgb = (c: readonly number[], a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;
const shade = (c: readonly number[], f: number): [number, number, number] =>
  c.map((v) => clamp255(v * f)) as [number, number, number];

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

/** Where the parts go: the face centre (cx, cy), the features' centre line fx (shifted with yaw), the eyes. */
interface FaceGeometry {
  cx: number;
  cy: number;
  fx: number;
  eyeY: number;
  eyeDx: number;
}

function faceGeometry(f: FaceSpec): FaceGeometry {
  const cx = 89;
  const cy = 118;
  return {
    cx,
    cy,
    fx: cx + f.yaw * 0.4, // features shift a little with yaw
    eyeY: cy - f.faceH * 0.12,
    eyeDx: f.faceW * 0.42,
  };
}

/** Draw one face into a 178×218 context. */
export function drawFace(ctx: SKRSContext2D, f: FaceSpec): void {
  const geo = faceGeometry(f);
  drawBackground(ctx, f);
  applyPose(ctx, f, geo);
  drawShouldersAndNeck(ctx, f, geo);
  drawFaceShape(ctx, f, geo);
  drawHair(ctx, f, geo);
  drawHat(ctx, f, geo);
  drawEyes(ctx, f, geo);
  drawNose(ctx, f, geo);
  drawMouth(ctx, f, geo);
  drawGlasses(ctx, f, geo);
  drawLighting(ctx, f);
}

/** A vertical two-colour gradient over the whole frame. */
function drawBackground(ctx: SKRSContext2D, f: FaceSpec): void {
  const W = CELEBA_WIDTH;
  const H = CELEBA_HEIGHT;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.filter = 'none';
  const bg = ctx.createLinearGradient(0, 0, 0, H);
  bg.addColorStop(0, rgb(f.bgTop));
  bg.addColorStop(1, rgb(f.bgBottom));
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, W, H);
}

/** Pose: small rotation, shift and scale about the face centre (CelebA faces are aligned, not fixed). */
function applyPose(ctx: SKRSContext2D, f: FaceSpec, { cx, cy }: FaceGeometry): void {
  ctx.translate(cx + f.dx, cy + f.dy);
  ctx.rotate(f.rot);
  ctx.scale(f.scale, f.scale);
  ctx.translate(-cx, -cy);
}

/** Clothing, long hair behind the head, neck, necklace, ears and earrings. */
function drawShouldersAndNeck(ctx: SKRSContext2D, f: FaceSpec, { cx, cy }: FaceGeometry): void {
  const H = CELEBA_HEIGHT;
  const skinDark = shade(f.skin, 0.8);
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
}

/** The lit face and the beard area. */
function drawFaceShape(ctx: SKRSContext2D, f: FaceSpec, { cx, cy, fx }: FaceGeometry): void {
  const skin = f.skin;
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
}

/** Hair on top of the head, with its fringe (every style but bald). */
function drawHair(ctx: SKRSContext2D, f: FaceSpec, { cx, cy }: FaceGeometry): void {
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
}

function drawHat(ctx: SKRSContext2D, f: FaceSpec, { cx, cy }: FaceGeometry): void {
  if (f.hat) {
    ctx.beginPath();
    ctx.ellipse(cx, cy - f.faceH * 0.62, f.faceW + 14, 9, 0, 0, Math.PI * 2);
    ctx.fillStyle = rgb(f.hatRgb);
    ctx.fill();
    ctx.beginPath();
    ctx.ellipse(cx, cy - f.faceH * 0.68, f.faceW * 0.95, f.faceH * 0.5, 0, Math.PI, 2 * Math.PI);
    ctx.fill();
  }
}

/** Eyes (with make-up), eyebrows and rosy cheeks. */
function drawEyes(ctx: SKRSContext2D, f: FaceSpec, { fx, eyeY, eyeDx }: FaceGeometry): void {
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
}

/** Nose: a soft shadow on the side away from the light. */
function drawNose(ctx: SKRSContext2D, f: FaceSpec, { fx, eyeY }: FaceGeometry): void {
  ctx.beginPath();
  ctx.moveTo(fx, eyeY + 4);
  ctx.quadraticCurveTo(fx - f.light * 5, eyeY + 20, fx - 4, eyeY + 24);
  ctx.lineTo(fx + 4, eyeY + 24);
  ctx.strokeStyle = rgb(shade(f.skin, 0.7), 0.8);
  ctx.lineWidth = 1.5;
  ctx.stroke();
}

/** Lips (open: teeth or a dark gap) and a mustache. */
function drawMouth(ctx: SKRSContext2D, f: FaceSpec, { cy, fx }: FaceGeometry): void {
  // Mouth: smiling curves up; open mouths show teeth.
  const my = cy + f.faceH * 0.48;
  const mw = (f.smiling ? 15 : 11) + (f.bigLips ? 2 : 0);
  const lip = f.lipstick ? [175, 30, 50] : shade(f.skin, 0.68);
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
}

/** Clear or sun glasses: two rims, the bridge and the arms to the ears. */
function drawGlasses(ctx: SKRSContext2D, f: FaceSpec, { cx, fx, eyeY, eyeDx }: FaceGeometry): void {
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
}

/** Global lighting, unposed: darken or brighten the whole frame, and a side shadow. */
function drawLighting(ctx: SKRSContext2D, f: FaceSpec): void {
  const W = CELEBA_WIDTH;
  const H = CELEBA_HEIGHT;
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
