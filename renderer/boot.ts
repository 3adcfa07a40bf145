import './styles.css';

/**
 * The page's first script. index.html already shows 正在启动… (and the screens' stylesheet is inside it): let
 * that frame reach the screen first, then run the app. The app's bundle is fetched meanwhile (index.html
 * preloads it), so this costs no round trip; without the wait, a bundle that arrives before the first frame
 * is compiled and run first, and the first paint waits for it. A hidden window may never run the animation
 * frame callback: the timer starts the app regardless.
 */
let started = false;
const start = () => {
  if (started) return;
  started = true;
  void import('./main.tsx');
};
requestAnimationFrame(() => setTimeout(start, 0));
setTimeout(start, 200);
