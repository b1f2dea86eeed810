// The machine a run measured: CPU, cores, memory, OS, Node, Chromium, git commit.

import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { REPO_ROOT } from './files.js';

export interface Environment {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  commit: string;
  date: string;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The model as the OS reports it (a VM may give only the family, e.g. "AMD EPYC"). */
function cpuModel(): string {
  return cpus()[0]?.model.trim() || 'unknown';
}

export function describeEnvironment(chromiumVersion: string): Environment {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    chromium: chromiumVersion,
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}
