import type { z } from 'zod';
import {
  defaultFeatureCodes,
  type FeatureCodesConfig,
  featureNames,
} from '../features/feature-codes-config.js';
import { destinationOf } from '../routing/destination.js';
import type { IvrMenuConfig } from './ivr-config.js';
import type { ScheduleConfig } from './schedule-config.js';

interface VoiceTenant {
  readonly extensions: readonly {
    readonly number: string;
    readonly voicemail?: { readonly enabled: boolean } | undefined;
  }[];
  readonly ringGroups: readonly { readonly id: string; readonly number?: string | undefined }[];
  readonly ivrs?: readonly IvrMenuConfig[] | undefined;
  readonly schedules?: readonly ScheduleConfig[] | undefined;
  readonly featureCodes?: FeatureCodesConfig | undefined;
  readonly conferences?: readonly { readonly id: string; readonly number?: string | undefined }[] | undefined;
}

type Ctx = z.core.$RefinementCtx;

/**
 * Checks the voice parts of a tenant: menu, schedule and conference room
 * ids are unique, menu and room numbers clash with nothing,
 * every menu destination exists (voicemail boxes must be configured, menus
 * must exist), menus name existing schedules, and feature codes are
 * distinct. Plain destination checks of forwarding and DIDs live in
 * provisioning/references.ts.
 */
export function checkVoiceReferences(tenant: VoiceTenant, ctx: Ctx): void {
  const extensions = new Map(tenant.extensions.map((e) => [e.number, e]));
  const groups = new Set(tenant.ringGroups.map((g) => g.id));
  const menus = new Set<string>();
  const schedules = new Set<string>();
  (tenant.schedules ?? []).forEach((schedule, index) => {
    if (schedules.has(schedule.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedules', index, 'id'],
        message: `duplicate schedule ${schedule.id}`,
      });
    }
    schedules.add(schedule.id);
  });
  const taken = new Set([
    ...tenant.extensions.map((e) => e.number),
    ...tenant.ringGroups.flatMap((g) => (g.number === undefined ? [] : [g.number])),
  ]);
  (tenant.ivrs ?? []).forEach((menu, index) => {
    if (menu.number !== undefined) {
      if (taken.has(menu.number)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ivrs', index, 'number'],
          message: `${menu.number} is already in use`,
        });
      }
      taken.add(menu.number);
    }
    if (menus.has(menu.id)) {
      ctx.addIssue({ code: 'custom', path: ['ivrs', index, 'id'], message: `duplicate IVR menu ${menu.id}` });
    }
    menus.add(menu.id);
  });
  const rooms = new Set<string>();
  (tenant.conferences ?? []).forEach((room, index) => {
    if (room.number !== undefined) {
      if (taken.has(room.number)) {
        ctx.addIssue({
          code: 'custom',
          path: ['conferences', index, 'number'],
          message: `${room.number} is already in use`,
        });
      }
      taken.add(room.number);
    }
    if (rooms.has(room.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['conferences', index, 'id'],
        message: `duplicate conference room ${room.id}`,
      });
    }
    rooms.add(room.id);
  });
  const check = (text: string | undefined, path: (string | number)[]) => {
    if (text === undefined || text === 'repeat' || text === 'directory') return;
    const destination = destinationOf(text);
    let message: string | undefined;
    switch (destination.kind) {
      case 'extension':
        if (!extensions.has(destination.number))
          message = `no extension ${destination.number} in this tenant`;
        break;
      case 'voicemail': {
        const box = extensions.get(destination.box);
        if (!box) message = `no extension ${destination.box} for a voicemail box`;
        else if (!box.voicemail?.enabled) message = `extension ${destination.box} has no voicemail box`;
        break;
      }
      case 'ringgroup':
        if (!groups.has(destination.id)) message = `no ring group ${destination.id} in this tenant`;
        break;
      case 'ivr':
        if (!menus.has(destination.id)) message = `no IVR menu ${destination.id} in this tenant`;
        break;
      case 'conference':
        if (!rooms.has(destination.room)) message = `no conference room ${destination.room} in this tenant`;
        break;
      default:
        break; // numbers and hangup need nothing
    }
    if (message) ctx.addIssue({ code: 'custom', path, message });
  };
  (tenant.ivrs ?? []).forEach((menu, index) => {
    for (const [key, target] of Object.entries(menu.options)) check(target, ['ivrs', index, 'options', key]);
    check(menu.failover, ['ivrs', index, 'failover']);
    if (menu.hours) {
      if (!schedules.has(menu.hours.schedule)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ivrs', index, 'hours', 'schedule'],
          message: `no schedule ${menu.hours.schedule} in this tenant`,
        });
      }
      check(menu.hours.closed, ['ivrs', index, 'hours', 'closed']);
      check(menu.hours.holiday, ['ivrs', index, 'hours', 'holiday']);
    }
  });
  if (tenant.featureCodes) {
    // Every code in effect (the tenant's own, else the default) must be distinct.
    const seen = new Map<string, string>();
    for (const name of featureNames) {
      const value = tenant.featureCodes[name] ?? defaultFeatureCodes[name];
      if (value === 'off') continue;
      const other = seen.get(value);
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['featureCodes', name],
          message: `${value} is already the code for ${other}`,
        });
      }
      seen.set(value, name);
    }
  }
}
