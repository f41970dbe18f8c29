// hls.js ships its light build (no subtitles, alternate audio, DRM or interstitials — none of which Flick's ladders
// use) without a declaration file; it is the same Hls class, so it takes the full build's types. The feed imports the
// light build to keep ~65 kB (gzip) off its first load.
declare module "hls.js/light" {
  import Hls from "hls.js";
  export default Hls;
  export * from "hls.js";
}
