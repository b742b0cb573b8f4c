import { useEffect, useRef, type PointerEvent } from 'react';
import type { SignatureStroke } from '../stores/kiosk-store.js';

/**
 * A canvas for the candidate's signature. It only records points (normalised 0..1, with ms since the
 * first touch) and hands each finished stroke up; the store decides what a signature is.
 */
export function SignaturePad(props: { strokes: readonly SignatureStroke[]; disabled: boolean; onStroke: (stroke: SignatureStroke) => void; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const current = useRef<SignatureStroke | null>(null);
  const startedAt = useRef<number | null>(null);

  // Redraw from the strokes whenever they change (e.g. cleared by 重写).
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    context.clearRect(0, 0, element.width, element.height);
    context.lineWidth = 3;
    context.lineCap = 'round';
    context.strokeStyle = '#10243e';
    for (const stroke of props.strokes) drawStroke(context, element, stroke);
  }, [props.strokes]);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    startedAt.current ??= event.timeStamp;
    return {
      x: clamp((event.clientX - rect.left) / rect.width),
      y: clamp((event.clientY - rect.top) / rect.height),
      t: Math.min(600_000, Math.max(0, Math.round(event.timeStamp - startedAt.current))),
    };
  };

  const down = (event: PointerEvent<HTMLCanvasElement>) => {
    if (props.disabled) return;
    // Capture keeps a stroke that leaves the pad; some pointers (e.g. synthetic ones) cannot be captured.
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // the stroke still records while the pointer stays on the pad
    }
    current.current = [point(event)];
  };
  const move = (event: PointerEvent<HTMLCanvasElement>) => {
    const stroke = current.current;
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!stroke || !element || !context || stroke.length >= 2000) return;
    stroke.push(point(event));
    drawStroke(context, element, stroke.slice(-2));
  };
  const up = () => {
    const stroke = current.current;
    current.current = null;
    if (stroke) props.onStroke(stroke);
  };

  return (
    <canvas
      ref={canvas}
      className="signature-pad"
      width={900}
      height={300}
      aria-label={props.label}
      data-testid="signature-pad"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
    />
  );
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));

function drawStroke(context: CanvasRenderingContext2D, element: HTMLCanvasElement, stroke: SignatureStroke): void {
  if (stroke.length === 0) return;
  context.beginPath();
  stroke.forEach((p, i) => (i === 0 ? context.moveTo(p.x * element.width, p.y * element.height) : context.lineTo(p.x * element.width, p.y * element.height)));
  if (stroke.length === 1) context.lineTo(stroke[0]!.x * element.width + 0.5, stroke[0]!.y * element.height);
  context.stroke();
}
