import { z } from 'zod';
import { loadConfig } from '../../../subgraphs/common/config';
import { createEventBus, eventBusEnv, eventBusOptionsFrom } from '../../../subgraphs/mes/events/create-event-bus';
import { InMemoryEventBus } from '../../../subgraphs/mes/events/in-memory-event-bus';

const Env = z.object(eventBusEnv);

describe('eventBusEnv', () => {
  it('defaults to the in-memory bus with a day or 100,000 events of history', () => {
    expect(eventBusOptionsFrom(loadConfig(Env, {}))).toEqual({
      redisUrl: undefined,
      keyPrefix: 'forge:events',
      retention: { maxEvents: 100_000, maxAgeMs: 86_400_000 },
    });
  });

  it('reads Redis and retention settings, treating an empty REDIS_URL as unset', () => {
    const config = loadConfig(Env, {
      REDIS_URL: 'redis://cache:6379/2',
      EVENT_RETENTION_COUNT: '500',
      EVENT_RETENTION_AGE_SECONDS: '60',
      EVENT_STREAM_PREFIX: 'plant-7:events',
    });
    expect(eventBusOptionsFrom(config)).toEqual({
      redisUrl: 'redis://cache:6379/2',
      keyPrefix: 'plant-7:events',
      retention: { maxEvents: 500, maxAgeMs: 60_000 },
    });
    expect(loadConfig(Env, { REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('names every bad variable', () => {
    expect(() => loadConfig(Env, { REDIS_URL: 'http://cache:6379', EVENT_RETENTION_COUNT: '0', EVENT_RETENTION_AGE_SECONDS: 'a day' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL[\s\S]*EVENT_RETENTION_COUNT[\s\S]*EVENT_RETENTION_AGE_SECONDS/,
    );
  });
});

describe('createEventBus', () => {
  it('runs in memory when no Redis URL is given', async () => {
    const bus = await createEventBus({ retention: { maxEvents: 10, maxAgeMs: 1_000 } });
    expect(bus).toBeInstanceOf(InMemoryEventBus);
    await bus.close();
  });
});
