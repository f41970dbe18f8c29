// tus offset (HEAD), append (PATCH) and cancel (DELETE) for one upload.
import { handleTusRequest } from "@/lib/uploads";

export const dynamic = "force-dynamic";

export const HEAD = (request: Request) => handleTusRequest(request);
export const PATCH = (request: Request) => handleTusRequest(request);
export const DELETE = (request: Request) => handleTusRequest(request);
export const OPTIONS = (request: Request) => handleTusRequest(request);
