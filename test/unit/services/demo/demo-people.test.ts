import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoPeople } from '../../../../services/demo/demo-group.ts';
import type { DemoWorld } from '../../../../services/demo/demo-world.ts';
import { cardSpecsOfPerson } from '../../../../drivers/virtual/fixtures.ts';

/** The demo panel's list, built from the virtual reader's own card ids for the real people.json. */
const people = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../fixtures/people.json'), 'utf8')) as { people: Parameters<typeof cardSpecsOfPerson>[0][] };
const cards = [
  ...people.people.flatMap((p) => cardSpecsOfPerson(p)).map((s) => ({ id: s.id, label: s.label, generation: s.generation, ssse: true, nameExtension: false })),
  { id: 'citizen-card-no-ssse', label: '旧版无锡市民卡（无社保应用）', generation: 2 as const, ssse: false, nameExtension: false },
];
const world = {
  cards,
  descriptions: new Map(people.people.map((p) => [p.key, { name: p.name, description: (p as unknown as { description: string }).description }])),
} as unknown as DemoWorld;

describe('demo people', () => {
  const list = demoPeople(world);

  it('lists every fixture person with both card generations, names masked', () => {
    const wang = list.find((p) => p.key === 'local-employee');
    expect(wang).toEqual({ key: 'local-employee', displayName: '王*国', description: '无锡市区职工医保，本地就医', generations: [2, 3] });
    expect(list.filter((p) => !p.key.includes('/') && p.key !== 'citizen-card-no-ssse')).toHaveLength(people.people.length);
  });

  it('offers the replaced card of a person as its own entry', () => {
    const old = list.find((p) => p.key === 'card-replaced/old');
    expect(old?.description).toMatch(/旧卡/);
  });

  it('offers the special cards (an old 市民卡 without SSSE)', () => {
    expect(list.find((p) => p.key === 'citizen-card-no-ssse')).toMatchObject({ generations: [2], description: '旧版无锡市民卡（无社保应用）' });
  });
});
