import { publicError, redactValues } from './graphql-error.filter';

const ID = '110101199003071234';

describe('values out of graphql-js request errors', () => {
  it.each([
    `Variable "$input" got invalid value { unionId: "u-1", nationalId: "${ID}", extra: 1 }; Field "extra" is not defined by type "ApplyForMembershipInput".`,
    `Variable "$input" got invalid value ${ID} at "input.nationalId"; String cannot represent a non string value: ${ID}`,
    `String cannot represent a non string value: ${ID}`,
    `Expected value of type "String", found ${ID}.`,
    `Syntax Error: Expected ":", found String "${ID}".`,
  ])('%s', (message) => {
    const redacted = redactValues(message);
    expect(redacted).not.toContain(ID);
    expect(redacted).not.toContain(ID.slice(-8));
    expect(redacted).not.toContain('u-1');
  });

  it('keeps names, types and paths', () => {
    expect(
      redactValues(
        `Variable "$input" got invalid value ${ID} at "input.nationalId"; String cannot represent a non string value: ${ID}`,
      ),
    ).toBe(
      'Variable "$input" got invalid value at "input.nationalId"; String cannot represent a non string value',
    );
    expect(redactValues('Field "extra" is not defined by type "ApplyForMembershipInput".')).toBe(
      'Field "extra" is not defined by type "ApplyForMembershipInput".',
    );
  });

  it("leaves the API's own errors (with a rule) as they are", () => {
    const own = {
      message: 'input.period: must be a month "YYYY-MM"',
      extensions: { code: 'BAD_USER_INPUT', rule: 'INVALID_INPUT' },
    };
    expect(publicError(own).message).toBe(own.message);
    const apollo = {
      message: `Expected value of type "String", found ${ID}.`,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(publicError(apollo)).toEqual({
      message: 'Expected value of type "String", found another value.',
      extensions: { code: 'BAD_USER_INPUT', rule: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
