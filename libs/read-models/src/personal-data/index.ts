export {
  PersonalDataError,
  isPersonalDataErased,
  parseKek,
  developmentKek,
  maskPersonalValue,
  type PersonalDataErrorCode,
} from './personal-data.crypto';
export * from './personal-data.protector';
export * from './personal-data.projection';
