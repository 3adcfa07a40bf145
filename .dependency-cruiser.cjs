/**
 * Layering rules of DESIGN.md. `npm run lint` fails when a folder imports what it may not.
 * Arrows point down: renderer → contract; electron → services → drivers/db/insurance → contract; base/ under all.
 */
module.exports = {
  forbidden: [
    {
      name: 'base-imports-nothing',
      comment: 'base/ is the bottom layer (clock, China time, Fen, Result, bytes): no other folder, no package, no Node.',
      severity: 'error',
      from: { path: '^base/' },
      to: { pathNot: '^base/' },
    },
    {
      name: 'renderer-only-contract',
      comment: 'The renderer talks to the rest only through window.kiosk (contract/). No Node, no electron.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { pathNot: '^(renderer|contract)/|(^|/)node_modules/' },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-electron-or-native',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '(^|/)node_modules/(electron|better-sqlite3|serialport|node-hid|@serialport|ws)/' },
    },
    {
      name: 'electron-only-in-main-and-preload',
      comment: "Only electron/main and electron/preload may import 'electron'.",
      severity: 'error',
      from: { pathNot: '^electron/(main|preload)/' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'contract-is-pure',
      comment: 'contract/ has no runtime dependencies but zod; no Node, no other layer.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { pathNot: '^contract/|(^|/)node_modules/zod/' },
    },
    {
      name: 'sandbox-never-imports-client',
      comment: 'The platform simulator must not share code with the client it is there to test.',
      severity: 'error',
      from: { path: '^insurance/sandbox/' },
      to: { path: '^insurance/client/' },
    },
    {
      name: 'payment-sandbox-never-imports-client',
      comment: 'The payment gateway simulator must not share code (signing above all) with the client it tests.',
      severity: 'error',
      from: { path: '^payments/sandbox/' },
      to: { path: '^payments/client/' },
    },
    {
      name: 'lower-layers-not-up',
      comment: 'drivers, db, insurance and payments never import services, electron, renderer or cli.',
      severity: 'error',
      from: { path: '^(drivers|db|insurance|payments)/' },
      to: { path: '^(services|electron|renderer|cli)/' },
    },
    {
      name: 'services-not-up',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^(electron|renderer|cli)/' },
    },
    {
      name: 'preload-only-contract',
      comment: 'The preload is bundled alone and sandboxed: contract + electron only.',
      severity: 'error',
      from: { path: '^electron/preload/' },
      to: { pathNot: '^(electron/preload/|contract/)|(^|/)node_modules/(electron|zod)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: `${__dirname}/tsconfig.json` },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    exclude: { path: '(^|/)dist/' },
  },
};
