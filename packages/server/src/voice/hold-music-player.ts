import { type MediaEngine, renderHoldMusic } from '@telekommune/media';
import type { HoldMusicPlayer, TenantConfig, TenantPrompts } from '@telekommune/pbx';

/**
 * Music on hold from the voice runtime's media engine: each held party gets
 * an endpoint that loops the tenant's music (`musicOnHold: {prompt: NAME}`,
 * an uploaded WAV) or, without one or while it cannot be had, the built-in
 * music (rendered once), until the call resumes. A clip is encoded once per
 * codec and shared by every endpoint playing it.
 */
export function holdMusicPlayers(
  engine: MediaEngine,
  prompts: Pick<TenantPrompts, 'resolve'>,
): (tenant: TenantConfig) => Promise<HoldMusicPlayer> {
  let builtIn: Int16Array | undefined;
  return async (tenant) => {
    const own = tenant.musicOnHold ? await prompts.resolve(tenant.id, tenant.musicOnHold) : [];
    builtIn ??= renderHoldMusic();
    const music = own.length > 0 ? own : [{ kind: 'pcm' as const, samples: builtIn }];
    const endpoint = await engine.createEndpoint();
    return {
      answer: (offer) => {
        const result = endpoint.answer(offer);
        if (!result.ok) return undefined;
        void (async () => {
          while (!endpoint.isClosed) {
            const played = await endpoint.play(music, { interruptible: false });
            if (played.reason !== 'finished' || played.playedSamples === 0) return;
          }
        })();
        return result.answer;
      },
      close: () => endpoint.close(),
    };
  };
}
