// Stylesheets imported for their effect (renderer/main.tsx loads fonts.css after the first paint).
declare module '*.css';
