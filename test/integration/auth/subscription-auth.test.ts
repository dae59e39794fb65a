import { ForgeCloseCode } from '../../../gateway/subscriptions/close-codes';
import { generateWorld } from '../../../mocks/dataset';
import { Stack, startStack } from '../../fixtures/stack';
import { AuthSubscriber, bearer, claims, hs256, now, post, SECRET, subscribeWith, until } from './tokens';

/** Tokens on graphql-ws connection_init: refused, accepted, and expiring while the subscription runs. */
const SEED = 11;
const SCALE = 5;
const MACHINE_STATUS = 'subscription($m: [ID!]) { machineStatusChanged(machineIds: $m) { eventId state machine { id } } }';
const RECORD_STATE = 'mutation($input: RecordMachineStateInput!) { recordMachineState(input: $input) { id state } }';

describe('subscription authentication', () => {
  const world = generateWorld({ seed: SEED, scale: SCALE });
  const machine = world.mes.machines[0]!;
  let state = machine.state as string;
  let stack: Stack;
  const open: AuthSubscriber[] = [];
  beforeAll(async () => {
    stack = await startStack({ seed: SEED, scale: SCALE, env: { AUTH_JWT_SECRET: SECRET, AUTH_CLOCK_TOLERANCE_S: '0', SIMULATOR_RATE: '0' } });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const track = (s: AuthSubscriber) => (open.push(s), s);
  const staff = () => hs256(claims({ iss: undefined, aud: undefined, scope: 'production:read production:write orders:read' }));
  const toggle = async () => {
    state = state === 'RUNNING' ? 'IDLE' : 'RUNNING';
    const input = state === 'IDLE' ? { machineId: machine.id, state, reasonCode: 'No work order', lossCategory: 'PLANNED' } : { machineId: machine.id, state };
    const res = await post(stack.gatewayUrl, RECORD_STATE, bearer(staff()), { input });
    expect(res.body.errors).toBeUndefined();
  };

  it.each([
    ['expired', { authorization: `Bearer ${hs256(claims({ iss: undefined, aud: undefined, exp: now() - 30 }))}` }, /expired/],
    ['forged', { token: hs256(claims({ iss: undefined, aud: undefined }), 'not-the-gateway-secret-000000000000000') }, /bad signature/],
    ['malformed', { authorization: 'Token abc' }, /malformed/],
  ])('refuses a %s token on connection_init with 4401', async (_name, params, reason) => {
    const subscriber = track(subscribeWith(stack.gatewayUrl, params, MACHINE_STATUS, { m: [machine.id] }));
    const closed = await subscriber.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(reason);
    expect(subscriber.results).toEqual([]);
  });

  it.each([
    ['authorization', () => ({ authorization: `Bearer ${staff()}` })],
    ['token', () => ({ token: staff() })],
  ])('delivers events to a socket authenticated with connectionParams.%s', async (_name, params) => {
    const subscriber = track(subscribeWith(stack.gatewayUrl, params(), MACHINE_STATUS, { m: [machine.id] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await toggle();
    await until(() => subscriber.results.length >= 1);
    expect(subscriber.results[0]).toMatchObject({ data: { machineStatusChanged: { state, machine: { id: machine.id } } } });
  });

  it('closes the socket with TOKEN_EXPIRED (4803) when the token runs out mid-subscription', async () => {
    const token = hs256(claims({ iss: undefined, aud: undefined, scope: 'production:read', exp: now() + 2 }));
    const subscriber = track(subscribeWith(stack.gatewayUrl, { authorization: `Bearer ${token}` }, MACHINE_STATUS, { m: [machine.id] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await toggle();
    await until(() => subscriber.results.length >= 1);
    const started = Date.now();
    const closed = await subscriber.closed;
    expect(closed.code).toBe(ForgeCloseCode.TOKEN_EXPIRED);
    expect(closed.reason).toMatch(/token expired/);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
