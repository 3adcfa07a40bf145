import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/** The order's QR as an image (rendered here, from the text the gateway gave; nothing leaves the terminal). */
export function QrImage({ text, size }: { text: string; size: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: size })
      .then((u) => live && setUrl(u))
      .catch(() => live && setUrl(null));
    return () => {
      live = false;
    };
  }, [text, size]);
  return url ? <img className="pay-qr" src={url} width={size} height={size} alt="支付宝付款二维码" data-testid="pay-qr" data-qr={text} /> : <div className="pay-qr" style={{ width: size, height: size }} />;
}
