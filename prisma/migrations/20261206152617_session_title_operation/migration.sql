-- AlterEnum
ALTER TYPE "AiOperation" ADD VALUE 'TITLE';

