'use client';
// The live session's short code and its QR code, large, for a projector: students type the
// code at /join (class mode) or scan the code to open /f/CODE. Escape or the button closes it.
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { shortLink, useFollow } from '../follow/follow';

export function ProjectorCode() {
  const open = useFollow((s) => s.projector);
  const code = useFollow((s) => s.code);
  const [svg, setSvg] = useState<string | null>(null);
  const link = code ? shortLink(code) : null;
  useEffect(() => {
    if (!open || !link) return;
    let live = true;
    // the SVG is made from our own link only: nothing a user typed goes into the markup
    void QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then((s) => live && setSvg(s));
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') useFollow.setState({ projector: false });
    };
    window.addEventListener('keydown', key);
    return () => {
      live = false;
      window.removeEventListener('keydown', key);
    };
  }, [open, link]);
  if (!open || !code || !link) return null;
  return (
    <div className="projector-code" role="dialog" aria-modal="true" aria-label="Live session code" data-testid="projector-code">
      <div className="projector-qr" data-testid="projector-qr" dangerouslySetInnerHTML={svg ? { __html: svg } : undefined} />
      <div className="projector-text">
        <p>Follow live at</p>
        <p className="projector-link">{link.replace(/^https?:\/\//, '')}</p>
        <p>or type the code</p>
        <p className="projector-big" data-testid="projector-code-text">
          {code}
        </p>
        <button className="btn" onClick={() => useFollow.setState({ projector: false })} data-testid="projector-close" autoFocus>
          Close (Esc)
        </button>
      </div>
    </div>
  );
}
