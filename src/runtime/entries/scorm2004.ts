import { startPlayer } from '../player.ts';
import { createScorm2004Adapter } from '../adapters/scorm2004.ts';

void startPlayer(createScorm2004Adapter());
