// tus upload creation (POST) and discovery (OPTIONS). Auth, limits and errors live in lib/uploads.
import { handleTusRequest } from "@/lib/uploads";

export const dynamic = "force-dynamic";

export const POST = (request: Request) => handleTusRequest(request);
export const OPTIONS = (request: Request) => handleTusRequest(request);
