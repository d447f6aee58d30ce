import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { installContext } from '../../http/context.ts';
import { accessRoutes } from './access.routes.ts';
import { AccessService } from './access.service.ts';
import { phoneLoginRoutes } from './phone-login.routes.ts';
import { PhoneLoginService } from './phone-login.service.ts';

/**
 * Who is calling: resolves every request's actor (the context hook, so it must run before other areas register
 * their routes), and the sign-in routes — password, phone code, API tokens.
 */
export async function accessModule(app: FastifyInstance, deps: AppDeps): Promise<{ access: AccessService }> {
  const access = new AccessService(deps);
  installContext(app, access);
  await app.register(accessRoutes(access, deps.config.secureCookies));
  await app.register(phoneLoginRoutes(new PhoneLoginService(deps, access), deps.config.secureCookies));
  return { access };
}
