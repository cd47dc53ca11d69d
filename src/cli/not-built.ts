import type { Command } from 'commander';

/**
 * Commands whose stage is not built yet say so and fail, rather than pretend.
 * Each entry disappears when its command gets a real implementation.
 */
export const NOT_BUILT: readonly { name: string; args?: string; description: string }[] = [];

export function registerNotBuilt(program: Command): void {
  for (const c of NOT_BUILT) {
    program
      .command(c.args ? `${c.name} ${c.args}` : c.name)
      .description(`${c.description} (not built yet)`)
      .allowUnknownOption(true)
      .action(() => {
        process.stderr.write(`ballot-inbox ${c.name}: not built yet in this version.\n`);
        process.exitCode = 2;
      });
  }
}
