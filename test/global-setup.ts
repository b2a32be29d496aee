// Runs once before the suite. Later issues hook the renderer build for end-to-end tests in here.
export default function setup(): void {
  process.env.PHOTON_TEST = '1';
}
