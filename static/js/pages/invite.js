// Invite page: copy the link, draw its QR code (made in the browser, no third party).
import qrcode from '/static/vendor/qrcode.mjs';

for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const input = document.querySelector(button.dataset.copy);
    input.select();
    try { await navigator.clipboard.writeText(input.value); } catch { document.execCommand('copy'); }
  });
}

for (const holder of document.querySelectorAll('[data-qr]')) {
  const code = qrcode(0, 'M');
  code.addData(holder.dataset.qr);
  code.make();
  const image = document.createElement('img');
  image.src = code.createDataURL(6, 2);
  image.alt = '';
  holder.append(image);
}
