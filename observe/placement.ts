// Where Marathon runs its apps' tasks, as `/v2/apps?embed=apps.tasks` says: which apps a host's restart stops. Pure.

/** One Marathon app with where its tasks run (`/v2/apps?embed=apps.tasks`). */
export interface PlacedApp {
  readonly id: string;
  readonly instances: number;
  readonly tasks?: ReadonlyArray<{ readonly host: string }>;
}

/** Whether one of `app`'s tasks runs on `host`: Marathon names a task's host as its agent does (name or address). */
export function runsOn(
  app: Pick<PlacedApp, "tasks">,
  host: { readonly name: string; readonly address: string },
): boolean {
  return (app.tasks ?? []).some((t) => t.host === host.address || t.host === host.name);
}

/** The ids of the apps of more than one instance with a task on `host`. */
export function multiInstanceAppsOn(
  apps: readonly PlacedApp[],
  host: { readonly name: string; readonly address: string },
): string[] {
  return apps.filter((app) => app.instances > 1 && runsOn(app, host)).map((app) => app.id);
}
