/**
 * Every theme's layouts precompiled by handlebars, by `layoutKey` (theme.ts). Empty when coursepack
 * runs from its sources: the packed command line carries this module filled in (made by pack.ts).
 */
import type Handlebars from 'handlebars';

export type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

export const PRECOMPILED: Record<string, TemplateSpecification> = {};
