import QRCode from 'qrcode';

export interface TicketQr {
  /** `data:image/png;base64,...`, ready for an <img src>. */
  png: string;
  /** A standalone `<svg ...>` document. */
  svg: string;
}

// Medium error correction survives a scuffed phone screen; the margin is the quiet zone scanners need.
const OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

export async function ticketQr(code: string): Promise<TicketQr> {
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(code, { ...OPTIONS, type: 'image/png', scale: 6 }),
    QRCode.toString(code, { ...OPTIONS, type: 'svg' }),
  ]);
  return { png, svg };
}
