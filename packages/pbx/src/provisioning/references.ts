import type { z } from 'zod';
import { type Destination, destinationOf } from '../routing/destination.js';

/** The parts of a tenant that destinations can point at. */
interface ReferencedTenant {
  readonly extensions: readonly {
    readonly number: string;
    readonly forward?: Readonly<Record<string, string | undefined>> | undefined;
  }[];
  readonly ringGroups: readonly {
    readonly id: string;
    readonly number?: string | undefined;
    readonly members: readonly { readonly extension: string }[];
    readonly finally: string;
  }[];
  readonly ivrs?: readonly { readonly id: string }[] | undefined;
  readonly conferences?: readonly { readonly id: string }[] | undefined;
  readonly dids?: readonly { readonly destination: string }[] | undefined;
}

type Ctx = z.core.$RefinementCtx;

/**
 * Checks that every destination in a tenant points at something the tenant
 * has: an extension, ring group, voicemail box, IVR or conference room. A
 * dangling reference is an error at its path, never a silent dead end.
 */
export function checkTenantReferences(tenant: ReferencedTenant, ctx: Ctx): void {
  const extensions = new Set(tenant.extensions.map((e) => e.number));
  const ringGroups = new Set(tenant.ringGroups.map((g) => g.id));
  const ivrs = new Set((tenant.ivrs ?? []).map((i) => i.id));
  const rooms = new Set((tenant.conferences ?? []).map((c) => c.id));

  const problem = (destination: Destination): string | undefined => {
    switch (destination.kind) {
      case 'extension':
        return extensions.has(destination.number)
          ? undefined
          : `no extension ${destination.number} in this tenant`;
      case 'voicemail':
        return extensions.has(destination.box)
          ? undefined
          : `no extension ${destination.box} for a voicemail box`;
      case 'ringgroup':
        return ringGroups.has(destination.id) ? undefined : `no ring group ${destination.id} in this tenant`;
      case 'ivr':
        return ivrs.has(destination.id) ? undefined : `no IVR menu ${destination.id} in this tenant`;
      case 'conference':
        return rooms.has(destination.room)
          ? undefined
          : `no conference room ${destination.room} in this tenant`;
      case 'number':
      case 'hangup':
        return undefined;
      case 'feature':
        return 'feature codes are dialled, not configured as destinations';
    }
  };
  const check = (text: string | undefined, path: (string | number)[]) => {
    if (text === undefined) return;
    const message = problem(destinationOf(text));
    if (message) ctx.addIssue({ code: 'custom', path, message });
  };

  tenant.extensions.forEach((extension, index) => {
    for (const [key, target] of Object.entries(extension.forward ?? {})) {
      check(target, ['extensions', index, 'forward', key]);
    }
  });
  const groupIds = new Map<string, number>();
  const groupNumbers = new Map<string, number>();
  tenant.ringGroups.forEach((group, index) => {
    const seen = groupIds.get(group.id);
    if (seen !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ringGroups', index, 'id'],
        message: `duplicate ring group ${group.id} (also ringGroups[${seen}])`,
      });
    } else groupIds.set(group.id, index);
    if (group.number !== undefined) {
      const other = groupNumbers.get(group.number);
      if (extensions.has(group.number)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ringGroups', index, 'number'],
          message: `${group.number} is already an extension`,
        });
      } else if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['ringGroups', index, 'number'],
          message: `${group.number} is already ringGroups[${other}]`,
        });
      } else groupNumbers.set(group.number, index);
    }
    group.members.forEach((member, m) => {
      if (!extensions.has(member.extension)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ringGroups', index, 'members', m],
          message: `no extension ${member.extension} in this tenant`,
        });
      }
    });
    check(group.finally, ['ringGroups', index, 'finally']);
  });
  tenant.dids?.forEach((did, index) => {
    check(did.destination, ['dids', index, 'destination']);
  });
}
