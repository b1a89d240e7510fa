/**
 * The small drawing kit the canvas views share: a crisp canvas at the
 * device's pixel ratio, linear and log scales, nice ticks, axes, and a
 * colour ramp (from scales.ts). Views draw whole batches (see marks.ts) so 50,000 marks cost one
 * stroke or fill per colour, not one per mark.
 */
import { type MergedSegments, PixelDots } from "./marks.js";
import { formatTick, type Scale, ticks } from "./scales.js";

export { type MergedSegments, PixelDots, type Rgba, rgbaOf, SnappedSegments } from "./marks.js";

export { bucketOf, extent, formatTick, numericValue, RAMP, type Scale, scale, ticks } from "./scales.js";

export interface Frame {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  ratio: number;
  /** The plotting area inside the axes' margins. */
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const MARGIN = { left: 56, right: 16, top: 12, bottom: 34 };

export function frameOn(canvas: HTMLCanvasElement, height = 300): Frame {
  const width = Math.max(240, canvas.parentElement?.clientWidth ?? 600);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px system-ui, sans-serif";
  return {
    ctx,
    width,
    height,
    ratio,
    left: MARGIN.left,
    top: MARGIN.top,
    right: width - MARGIN.right,
    bottom: height - MARGIN.bottom,
  };
}

export function axes(f: Frame, x: Scale, y: Scale, xLabel: string, yLabel: string): void {
  const { ctx } = f;
  ctx.strokeStyle = "#d0d4da";
  ctx.fillStyle = "#4a5260";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of ticks(x)) {
    const px = Math.round(x(t)) + 0.5;
    ctx.moveTo(px, f.top);
    ctx.lineTo(px, f.bottom);
    ctx.fillText(formatTick(t), px, f.bottom + 4);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of ticks(y)) {
    const py = Math.round(y(t)) + 0.5;
    ctx.moveTo(f.left, py);
    ctx.lineTo(f.right, py);
    ctx.fillText(formatTick(t), f.left - 4, py);
  }
  ctx.stroke();
  ctx.strokeStyle = "#8a929e";
  ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.right - f.left, f.bottom - f.top);
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(xLabel, (f.left + f.right) / 2, f.height - 2);
  ctx.save();
  ctx.translate(12, (f.top + f.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
}

/**
 * Past this many line segments a view merges them (`SnappedSegments`):
 * below it, Chromium paints them in a few tens of milliseconds as they are.
 */
export const EXACT_SEGMENTS = 20_000;

/** A pixel buffer the size of `f`'s canvas, for `paintDots`. */
export function dotsFor(f: Frame): PixelDots {
  return new PixelDots(f.ctx.canvas.width, f.ctx.canvas.height, f.ratio);
}

/** Puts the dots on the canvas (of their size) as one image, over what is drawn there already. */
export function paintDots(ctx: CanvasRenderingContext2D, dots: PixelDots): void {
  const layer = document.createElement("canvas");
  layer.width = dots.width;
  layer.height = dots.height;
  (layer.getContext("2d") as CanvasRenderingContext2D).putImageData(
    new ImageData(dots.pixels, dots.width, dots.height),
    0,
    0,
  );
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer, 0, 0);
  ctx.restore();
}

/** Strokes merged segments, one path per colour and opacity step. */
export function strokeMerged(
  ctx: CanvasRenderingContext2D,
  merged: MergedSegments,
  alpha: number,
  colours: readonly string[],
): void {
  for (const group of merged.groups(alpha)) {
    const path = new Path2D();
    const c = group.coords;
    for (let k = 0; k < c.length; k += 4) {
      path.moveTo(c[k] as number, c[k + 1] as number);
      path.lineTo(c[k + 2] as number, c[k + 3] as number);
    }
    ctx.globalAlpha = group.opacity;
    ctx.strokeStyle = colours[group.bucket] ?? (colours[0] as string);
    ctx.stroke(path);
  }
  ctx.globalAlpha = 1;
}
